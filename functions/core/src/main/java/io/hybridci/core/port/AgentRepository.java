package io.hybridci.core.port;

import io.hybridci.core.agent.Agent;
import java.util.List;
import java.util.Optional;

/** Where agents live. Every change is a conditional write on the agent's {@code version}. */
public interface AgentRepository {

    Optional<Agent> find(String agentId);

    WriteResult<Agent> create(Agent agent);

    WriteResult<Agent> update(Agent next, long expectedVersion);

    /** Agents that are connected, paused or draining: the ones the reaper watches. */
    List<Agent> liveAgents();

    Page<Agent> list(int limit, Optional<String> cursor);
}
