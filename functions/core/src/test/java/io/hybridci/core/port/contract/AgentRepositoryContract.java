package io.hybridci.core.port.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.agent.Agent;
import io.hybridci.core.agent.AgentState;
import io.hybridci.core.port.AgentRepository;
import io.hybridci.core.port.Page;
import io.hybridci.core.port.WriteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link AgentRepository} must do; subclasses give a fresh, empty repository. */
public abstract class AgentRepositoryContract {

    protected abstract AgentRepository newRepository();

    private AgentRepository agents;

    @BeforeEach
    void setUpRepository() {
        agents = newRepository();
    }

    private static Agent withState(Agent agent, AgentState state) {
        return new Agent(agent.id(), agent.name(), agent.queues(), state, null, agent.agentVersion(),
                agent.lastSeenAt(), agent.connectedAt(), agent.sessionExpiresAt(), agent.version() + 1,
                agent.updatedAt().plusSeconds(1), "system:reaper");
    }

    @Test
    void shouldCreateOnceAndConflict_whenVersionIsStale() {
        Agent agent = Fixtures.agent(Fixtures.uniqueId("a"), "builder");
        assertTrue(agents.create(agent).written());
        assertEquals(new WriteResult.Conflict<>(Optional.of(agent)), agents.create(agent));

        Agent lost = withState(agent, AgentState.LOST);
        assertTrue(agents.update(lost, 1).written());
        assertEquals(new WriteResult.Conflict<>(Optional.of(lost)), agents.update(withState(agent, AgentState.PAUSED), 1));
        assertEquals(Optional.of(lost), agents.find(agent.id()));
    }

    @Test
    void shouldListOnlyHeartbeatingAgents_whenSomeAreLostOrGone() {
        List<Agent> live = new ArrayList<>();
        for (AgentState state : AgentState.values()) {
            Agent agent = withState(Fixtures.agent(Fixtures.uniqueId("a"), state.name()), state);
            agents.create(agent);
            if (state.isHeartbeating()) {
                live.add(agent);
            }
        }

        var found = agents.liveAgents();

        assertEquals(live.size(), found.size());
        assertTrue(found.containsAll(live));
    }

    @Test
    void shouldPageAgentsByName_whenCursorIsFollowed() {
        List<Agent> expected = new ArrayList<>();
        for (String name : List.of("charlie", "alpha", "bravo")) {
            Agent agent = Fixtures.agent(Fixtures.uniqueId("a"), name);
            agents.create(agent);
            expected.add(agent);
        }
        expected.sort((x, y) -> x.name().compareTo(y.name()));

        Page<Agent> first = agents.list(2, Optional.empty());
        Page<Agent> second = agents.list(2, first.next());

        assertEquals(expected.subList(0, 2), first.items());
        assertEquals(expected.subList(2, 3), second.items());
        assertTrue(second.next().isEmpty());
    }
}
