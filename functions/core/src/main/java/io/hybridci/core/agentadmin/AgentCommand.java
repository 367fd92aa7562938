package io.hybridci.core.agentadmin;

/** What an admin asks of an agent through {@code POST /api/v1/agents/{id}/<command>}. */
public enum AgentCommand {
    /** Takes no new jobs; the current one runs on (the agent hears it as a {@code pause} directive). */
    PAUSE,
    /** Takes jobs again after a pause. */
    RESUME,
    /** Finishes its current job, then disconnects (a {@code drain} directive). */
    DRAIN
}
