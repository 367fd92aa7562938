package io.hybridci.core.agentadmin;

import io.hybridci.core.agent.Agent;

/** The answer to an admin's agent command or removal. */
public sealed interface AgentCommandResult {

    /** The agent as stored afterwards (also when it already was in the asked state). */
    record Done(Agent agent) implements AgentCommandResult {}

    record NotFound() implements AgentCommandResult {}

    /** The agent's state does not allow it (e.g. resume a connected agent, pause a disconnected one). */
    record Conflict(String message) implements AgentCommandResult {}
}
