package io.hybridci.core.agent;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A registered agent as the control plane sees it.
 *
 * @param id assigned at registration
 * @param name the agent's self-chosen name (host name by default)
 * @param queues the queue names it polls
 * @param state where it is
 * @param currentJobId the job it holds, {@code null} when idle
 * @param agentVersion the agent software's version
 * @param lastSeenAt its last ping (or registration)
 * @param connectedAt when it registered or last reconnected
 * @param sessionExpiresAt when its session token expires (it renews at 75 % of the lifetime)
 * @param version optimistic-lock counter (not the software version)
 * @param updatedAt when the item last changed
 * @param lastActor who changed it last
 */
public record Agent(
        String id,
        String name,
        List<String> queues,
        AgentState state,
        String currentJobId,
        String agentVersion,
        Instant lastSeenAt,
        Instant connectedAt,
        Instant sessionExpiresAt,
        long version,
        Instant updatedAt,
        String lastActor) {

    public Agent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
        Objects.requireNonNull(connectedAt, "connectedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(lastActor, "lastActor");
        queues = List.copyOf(Objects.requireNonNull(queues, "queues"));
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1, was " + version);
        }
    }

    /** A freshly registered agent: CONNECTED, idle, version 1. */
    public static Agent registered(String id, String name, List<String> queues, String agentVersion,
                                   Instant at, Instant sessionExpiresAt, String actor) {
        return new Agent(id, name, queues, AgentState.CONNECTED, null, agentVersion, at, at, sessionExpiresAt,
                1, at, actor);
    }

    /** Whether it holds a job. */
    public boolean isBusy() {
        return currentJobId != null;
    }

    /** Whether it may accept a new job now. */
    public boolean canTakeWork() {
        return state == AgentState.CONNECTED && currentJobId == null;
    }

    Agent next(AgentState newState, String jobId, Instant seenAt, Instant connected, Instant sessionExpiry,
               Instant at, String actor) {
        return new Agent(id, name, queues, newState, jobId, agentVersion, seenAt, connected, sessionExpiry,
                version + 1, at, actor);
    }
}
