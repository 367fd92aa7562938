package io.hybridci.core.agentapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.agent.Agent;
import io.hybridci.core.agent.AgentTransitions;
import io.hybridci.core.agentadmin.NewRegistrationToken;
import io.hybridci.core.agentadmin.RegistrationTokenAdmin;
import io.hybridci.core.port.AgentRepository;
import io.hybridci.core.port.Page;
import io.hybridci.core.port.WriteResult;
import io.hybridci.core.port.inmemory.InMemoryAgentRepository;
import io.hybridci.core.port.inmemory.InMemoryBuildRepository;
import io.hybridci.core.port.inmemory.InMemoryCredentialStore;
import io.hybridci.core.port.inmemory.InMemoryJobRepository;
import io.hybridci.core.port.inmemory.RecordingEventPublisher;
import io.hybridci.core.reaction.ContendedWriteException;
import io.hybridci.core.rotation.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Pings of one agent sent in parallel (seen under load from a second process: 51 of 600 answered 500): a plain
 * heartbeat that loses every race is answered from the latest state, a ping that renews the session is refused
 * as contended (its new token was not stored), and neither is an unexpected failure.
 */
class ContendedPingTest {

    private static final Duration LIFETIME = Duration.ofHours(24);

    private final MovableClock clock = new MovableClock(Instant.parse("2025-05-01T08:00:00Z"));
    private final InMemoryCredentialStore credentials = new InMemoryCredentialStore();
    private final AlwaysLosingAgents agents = new AlwaysLosingAgents();
    private final AgentApi api = new AgentApi(agents, new InMemoryJobRepository(), new InMemoryBuildRepository(), credentials,
            new RecordingEventPublisher(), new AgentApiSettings(LIFETIME, 10, 20, Map.of("default", "http://q/jobs-default"),
            "http://q/agent-updates.fifo", "us-east-1", null), clock);

    @Test
    void shouldAnswerTheHeartbeatFromTheLatestState_whenEveryWriteOfItLosesTheRace() {
        String token = registeredAgentToken();
        agents.losing = true;
        clock.advance(AgentTransitions.HEARTBEAT_RESOLUTION);

        List<Directive> directives = api.ping(api.authenticate(token).orElseThrow(), Optional.empty());

        assertEquals(List.of(), directives, "an idle, connected agent has nothing to do");
        assertTrue(agents.lostWrites > 1, "the ping did try to write, and lost: " + agents.lostWrites);
    }

    @Test
    void shouldRefuseAsContended_whenTheRenewingPingCannotStoreTheNewSession() {
        String token = registeredAgentToken();
        agents.losing = true;
        clock.advance(Duration.ofHours(19));

        ContendedWriteException refused = assertThrows(ContendedWriteException.class,
                () -> api.ping(api.authenticate(token).orElseThrow(), Optional.empty()));
        assertTrue(refused.getMessage().contains("try again"), refused.getMessage());
    }

    private String registeredAgentToken() {
        RegistrationTokenAdmin tokenAdmin = new RegistrationTokenAdmin(credentials, credentials, Set.of("default"), clock);
        var created = (RegistrationTokenAdmin.Creation.Created) tokenAdmin.create(new NewRegistrationToken("test", List.of(), null));
        Registration.Registered registered = assertInstanceOf(Registration.Registered.class, api.register(
                created.token().value().reveal(), new RegisterRequest("box", List.of("default"), "0.1.0", "box", "linux", "amd64")));
        return registered.session().sessionToken().reveal();
    }

    /** Stores like the in-memory repository, but once {@link #losing}, every update finds the item changed. */
    private static final class AlwaysLosingAgents implements AgentRepository {
        private final InMemoryAgentRepository stored = new InMemoryAgentRepository();
        boolean losing;
        int lostWrites;

        @Override public Optional<Agent> find(String agentId) { return stored.find(agentId); }
        @Override public WriteResult<Agent> create(Agent agent) { return stored.create(agent); }
        @Override public List<Agent> liveAgents() { return stored.liveAgents(); }
        @Override public Page<Agent> list(int limit, Optional<String> cursor) { return stored.list(limit, cursor); }

        @Override
        public WriteResult<Agent> update(Agent next, long expectedVersion) {
            if (losing) {
                lostWrites++;
                return new WriteResult.Conflict<>(stored.find(next.id()));
            }
            return stored.update(next, expectedVersion);
        }
    }
}
