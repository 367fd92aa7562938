package io.hybridci.core.updates;

import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobFixtures;
import io.hybridci.core.job.JobState;
import io.hybridci.core.port.AgentSession;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.WriteResult;
import io.hybridci.core.port.inmemory.InMemoryAgentMessageLedger;
import io.hybridci.core.port.inmemory.InMemoryAgentRepository;
import io.hybridci.core.port.inmemory.InMemoryCredentialStore;
import io.hybridci.core.port.inmemory.InMemoryJobRepository;
import io.hybridci.core.port.inmemory.InMemoryLogStore;
import io.hybridci.core.port.inmemory.InMemorySecurityLog;
import io.hybridci.core.security.Hmac;
import io.hybridci.core.security.Secret;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Key rotation and the schema seam of {@link AgentUpdates}; the message paths are covered with
 * real SQS fixtures in functions/job-updater.
 */
class AgentUpdatesTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:30Z");
    private static final String AGENT = JobFixtures.AGENT;
    private static final String OLD_KEY = "previous-signing-key";
    private static final String NEW_KEY = "current-signing-key";

    private final InMemoryJobRepository jobs = new InMemoryJobRepository();
    private final InMemoryCredentialStore credentials = new InMemoryCredentialStore();
    private final InMemorySecurityLog securityLog = new InMemorySecurityLog();
    private final AgentUpdates updates = new AgentUpdates(jobs, new InMemoryAgentRepository(), credentials,
            new InMemoryAgentMessageLedger(), new InMemoryLogStore(), securityLog, (type, body) -> List.of(),
            Clock.fixed(NOW, ZoneOffset.UTC));
    private final Job job = JobFixtures.inState(JobState.ASSIGNED);

    @Test
    void shouldAcceptThePreviousKey_whenTheSessionWasRenewedWithinTheOverlap() {
        renewedAgo(Duration.ofMinutes(2));
        jobs.create(job);

        UpdateOutcome outcome = updates.handle(signed(OLD_KEY, "m-1"));

        assertInstanceOf(UpdateOutcome.Applied.class, outcome);
        assertEquals(JobState.RUNNING, jobs.find(job.id()).orElseThrow().state());
    }

    @Test
    void shouldRejectThePreviousKey_whenTheOverlapIsOver() {
        renewedAgo(AgentUpdates.PREVIOUS_KEY_OVERLAP.plusSeconds(1));
        jobs.create(job);

        UpdateOutcome outcome = updates.handle(signed(OLD_KEY, "m-1"));

        assertEquals(new UpdateOutcome.Rejected(RejectionCode.BAD_SIGNATURE,
                "signature does not match the agent's signing key"), outcome);
        assertEquals("bad_signature", securityLog.rejections().getFirst().reason());
    }

    @Test
    void shouldRejectAsMalformed_whenTheSchemaReportsProblems() {
        renewedAgo(Duration.ofMinutes(30));
        jobs.create(job);
        AgentUpdates strict = new AgentUpdates(jobs, new InMemoryAgentRepository(), credentials,
                new InMemoryAgentMessageLedger(), new InMemoryLogStore(), securityLog,
                (type, body) -> List.of("$.startedAt: does not match the pattern"), Clock.fixed(NOW, ZoneOffset.UTC));

        UpdateOutcome outcome = strict.handle(signed(NEW_KEY, "m-1"));

        assertEquals(new UpdateOutcome.Rejected(RejectionCode.MALFORMED, "$.startedAt: does not match the pattern"),
                outcome);
        assertEquals(JobState.ASSIGNED, jobs.find(job.id()).orElseThrow().state());
    }

    @Test
    void shouldRetry_whenAStoreFails() {
        renewedAgo(Duration.ofMinutes(30));
        // No job stored, and a repository that throws on every read: a transient failure, not a rejection.
        AgentUpdates broken = new AgentUpdates(new JobRepository() {
            @Override public Optional<Job> find(String jobId) { throw new IllegalStateException("connection reset"); }
            @Override public WriteResult<Job> create(Job created) { throw new UnsupportedOperationException(); }
            @Override public WriteResult<Job> update(Job next, long expectedVersion) { throw new UnsupportedOperationException(); }
            @Override public List<Job> jobsOfBuild(String buildId) { return List.of(); }
            @Override public List<Job> activeJobs() { return List.of(); }
        }, new InMemoryAgentRepository(), credentials, new InMemoryAgentMessageLedger(), new InMemoryLogStore(),
                securityLog, (type, body) -> List.of(), Clock.fixed(NOW, ZoneOffset.UTC));

        UpdateOutcome outcome = broken.handle(signed(NEW_KEY, "m-1"));

        assertEquals(UpdateOutcome.Disposition.RETRY, outcome.disposition());
        assertEquals(List.of(), securityLog.rejections());
    }

    @Test
    void shouldAcceptARetriedMessage_whenSqsAcceptedItInTimeButTheHandlerRunsMuchLater() {
        renewedAgo(Duration.ofMinutes(30));
        jobs.create(job);
        AgentUpdates muchLater = new AgentUpdates(jobs, new InMemoryAgentRepository(), credentials,
                new InMemoryAgentMessageLedger(), new InMemoryLogStore(), securityLog, (type, body) -> List.of(),
                Clock.fixed(NOW.plus(Duration.ofMinutes(20)), ZoneOffset.UTC));
        AgentMessage signed = signed(NEW_KEY, "m-1");
        AgentMessage sentOnTime = new AgentMessage(signed.sqsMessageId(), signed.body(), signed.timestamp(),
                signed.signature(), Instant.parse("2025-03-01T12:00:21Z"));

        UpdateOutcome outcome = muchLater.handle(sentOnTime);

        assertInstanceOf(UpdateOutcome.Applied.class, outcome);
        assertEquals(JobState.RUNNING, jobs.find(job.id()).orElseThrow().state());
    }

    @Test
    void shouldRejectAsStale_whenSqsAcceptedTheMessageLongAfterItWasSigned() {
        renewedAgo(Duration.ofMinutes(30));
        jobs.create(job);
        AgentMessage signed = signed(NEW_KEY, "m-1");
        // A captured message sent again later: SQS stamps the late send, whatever the body says.
        AgentMessage replayedLater = new AgentMessage("m-2", signed.body(), signed.timestamp(), signed.signature(),
                Instant.parse("2025-03-01T12:10:21Z"));

        UpdateOutcome outcome = updates.handle(replayedLater);

        assertInstanceOf(UpdateOutcome.Rejected.class, outcome);
        assertEquals(RejectionCode.STALE_TIMESTAMP, ((UpdateOutcome.Rejected) outcome).code());
        assertEquals(JobState.ASSIGNED, jobs.find(job.id()).orElseThrow().state());
    }

    private void renewedAgo(Duration ago) {
        credentials.putSession(new AgentSession("hash", AGENT, NOW.minus(ago), NOW.plus(Duration.ofHours(1)), NEW_KEY,
                OLD_KEY, false));
    }

    private AgentMessage signed(String key, String sqsMessageId) {
        String body = "{\"type\":\"started\",\"jobId\":\"" + job.id() + "\",\"agentId\":\"" + AGENT
                + "\",\"attempt\":1,\"seq\":0,\"sentAt\":\"2025-03-01T12:00:20Z\",\"startedAt\":\"2025-03-01T12:00:20Z\"}";
        String timestamp = "2025-03-01T12:00:20Z";
        return new AgentMessage(sqsMessageId, body, timestamp, Hmac.agentMessageSignature(Secret.of(key), timestamp, body));
    }
}
