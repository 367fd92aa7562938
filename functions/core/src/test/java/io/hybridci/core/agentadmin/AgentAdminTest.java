package io.hybridci.core.agentadmin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.agent.Agent;
import io.hybridci.core.agent.AgentState;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobFixtures;
import io.hybridci.core.job.JobReason;
import io.hybridci.core.job.JobState;
import io.hybridci.core.port.AgentSession;
import io.hybridci.core.port.inmemory.InMemoryAgentRepository;
import io.hybridci.core.port.inmemory.InMemoryCredentialStore;
import io.hybridci.core.port.inmemory.InMemoryJobRepository;
import io.hybridci.core.rotation.MovableClock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentAdminTest {

    private static final String ADMIN = "user:admin";

    private final MovableClock clock = new MovableClock(JobFixtures.T0.plusSeconds(600));
    private final InMemoryAgentRepository agents = new InMemoryAgentRepository();
    private final InMemoryJobRepository jobs = new InMemoryJobRepository();
    private final InMemoryCredentialStore credentials = new InMemoryCredentialStore();
    private final AgentAdmin admin = new AgentAdmin(agents, jobs, credentials, clock);

    private Agent connected(String jobId) {
        Agent agent = Agent.registered(JobFixtures.AGENT, "box", List.of("default"), "0.1.0", JobFixtures.T0,
                JobFixtures.T0.plusSeconds(86_400), "agent:" + JobFixtures.AGENT);
        if (jobId != null) {
            agent = new Agent(agent.id(), agent.name(), agent.queues(), agent.state(), jobId, agent.agentVersion(),
                    agent.lastSeenAt(), agent.connectedAt(), agent.sessionExpiresAt(), 1, agent.updatedAt(), agent.lastActor());
        }
        agents.create(agent);
        return agent;
    }

    @Test
    void shouldPauseResumeAndDrain_whenTheAdminAsks() {
        connected(null);

        assertEquals(AgentState.PAUSED, done(admin.command(JobFixtures.AGENT, AgentCommand.PAUSE, ADMIN)).state());
        assertEquals(AgentState.PAUSED, done(admin.command(JobFixtures.AGENT, AgentCommand.PAUSE, ADMIN)).state(),
                "pausing twice answers the same");
        assertEquals(AgentState.CONNECTED, done(admin.command(JobFixtures.AGENT, AgentCommand.RESUME, ADMIN)).state());
        assertEquals(AgentState.DRAINING, done(admin.command(JobFixtures.AGENT, AgentCommand.DRAIN, ADMIN)).state());
        assertFalse(agents.find(JobFixtures.AGENT).orElseThrow().canTakeWork());
    }

    @Test
    void shouldConflict_whenPausingADrainingAgent() {
        connected(null);
        admin.command(JobFixtures.AGENT, AgentCommand.DRAIN, ADMIN);

        assertInstanceOf(AgentCommandResult.Conflict.class, admin.command(JobFixtures.AGENT, AgentCommand.PAUSE, ADMIN));
    }

    @Test
    void shouldAnswerNotFound_whenTheAgentDoesNotExist() {
        assertInstanceOf(AgentCommandResult.NotFound.class, admin.command("nobody", AgentCommand.PAUSE, ADMIN));
        assertInstanceOf(AgentCommandResult.NotFound.class, admin.remove("nobody", ADMIN));
    }

    @Test
    void shouldDisconnectRevokeSessionsAndFailTheJobAsLost_whenRemoved() {
        Job running = JobFixtures.inState(JobState.RUNNING);
        jobs.create(running);
        connected(running.id());
        credentials.putSession(new AgentSession("hash-1", JobFixtures.AGENT, JobFixtures.T0,
                JobFixtures.T0.plusSeconds(86_400), "a2V5", null, false));
        credentials.putSession(new AgentSession("hash-2", JobFixtures.AGENT, JobFixtures.T0.plusSeconds(60),
                JobFixtures.T0.plusSeconds(86_400), "a2V5Mg==", "a2V5", false));

        AgentCommandResult result = admin.remove(JobFixtures.AGENT, ADMIN);

        assertEquals(AgentState.DISCONNECTED, done(result).state());
        assertEquals(Optional.empty(), credentials.currentSessionOf(JobFixtures.AGENT));
        assertTrue(credentials.sessionByHash("hash-1").orElseThrow().revoked());
        Job after = jobs.find(running.id()).orElseThrow();
        assertEquals(JobState.FAILED, after.state());
        assertEquals(-1, after.exitStatus());
        assertEquals(JobReason.AGENT_LOST, after.reason());
        assertInstanceOf(AgentCommandResult.Done.class, admin.remove(JobFixtures.AGENT, ADMIN), "removing twice is fine");
    }

    private static Agent done(AgentCommandResult result) {
        return assertInstanceOf(AgentCommandResult.Done.class, result).agent();
    }
}
