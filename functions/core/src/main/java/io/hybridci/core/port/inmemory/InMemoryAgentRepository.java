package io.hybridci.core.port.inmemory;

import io.hybridci.core.agent.Agent;
import io.hybridci.core.port.AgentRepository;
import io.hybridci.core.port.Page;
import io.hybridci.core.port.WriteResult;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** {@link AgentRepository} in memory, for unit tests of the use cases. */
public final class InMemoryAgentRepository implements AgentRepository {
    private final VersionedMap<Agent> agents = new VersionedMap<>(Agent::id, Agent::version);

    @Override public Optional<Agent> find(String agentId) { return agents.find(agentId); }
    @Override public WriteResult<Agent> create(Agent agent) { return agents.create(agent); }
    @Override public WriteResult<Agent> update(Agent next, long expectedVersion) { return agents.update(next, expectedVersion); }

    @Override
    public List<Agent> liveAgents() {
        return agents.values().stream().filter(agent -> agent.state().isHeartbeating())
                .sorted(Comparator.comparing(Agent::id)).toList();
    }

    @Override
    public Page<Agent> list(int limit, Optional<String> cursor) {
        var sorted = agents.values().stream().sorted(Comparator.comparing(Agent::name).thenComparing(Agent::id)).toList();
        return Paging.page(sorted, limit, cursor);
    }
}
