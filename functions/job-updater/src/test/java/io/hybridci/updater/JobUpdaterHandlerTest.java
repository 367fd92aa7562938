package io.hybridci.updater;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.hybridci.core.agent.Agent;
import io.hybridci.core.agent.AgentEvent;
import io.hybridci.core.agent.AgentTransitions;
import io.hybridci.core.deployment.Color;
import io.hybridci.core.deployment.Deployment;
import io.hybridci.core.deployment.DeploymentEvent;
import io.hybridci.core.deployment.DeploymentState;
import io.hybridci.core.deployment.DeploymentTransitions;
import io.hybridci.core.job.Job;
import io.hybridci.core.port.inmemory.InMemoryDeploymentStore;
import io.hybridci.core.job.JobFixtures;
import io.hybridci.core.job.JobState;
import io.hybridci.core.port.AgentSession;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.LogStore;
import io.hybridci.core.port.SecurityLog;
import io.hybridci.core.port.WriteResult;
import io.hybridci.core.port.inmemory.InMemoryAgentMessageLedger;
import io.hybridci.core.port.inmemory.InMemoryAgentRepository;
import io.hybridci.core.port.inmemory.InMemoryCredentialStore;
import io.hybridci.core.port.inmemory.InMemoryJobRepository;
import io.hybridci.core.port.inmemory.InMemoryLogStore;
import io.hybridci.core.port.inmemory.InMemoryRejectedMessageQueue;
import io.hybridci.core.port.inmemory.InMemorySecurityLog;
import io.hybridci.core.updates.RejectionCode;
import io.hybridci.core.statemachine.Actors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job-updater against the in-memory adapters, fed real SQS FIFO events whose signatures were
 * computed with the keys below (see src/test/resources/events/sqs/README.md).
 */
class JobUpdaterHandlerTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:30Z");
    private static final String AGENT = "a-7f3c9d";
    private static final String INTRUDER = "a-intruder";
    private static final String KEY_OF_AGENT = "c2lnbmluZy1rZXktb2YtYWdlbnQtYS0zMi1ieXRlcyE=";
    private static final String KEY_OF_INTRUDER = "c2lnbmluZy1rZXktb2YtaW50cnVkZXItMzItYnl0ZXM=";
    private static final String JOB = "j-01JNQ8Z3M2B7";
    private static final String OTHER_JOB = "j-01JNQ8Z3M2C8";

    private final FlakyJobRepository jobs = new FlakyJobRepository();
    private final InMemoryAgentRepository agents = new InMemoryAgentRepository();
    private final InMemoryCredentialStore credentials = new InMemoryCredentialStore();
    private final InMemoryLogStore logs = new InMemoryLogStore();
    private final InMemorySecurityLog securityLog = new InMemorySecurityLog();
    private final InMemoryRejectedMessageQueue rejectedMessages = new InMemoryRejectedMessageQueue();
    private final JobUpdaterHandler handler = new JobUpdaterHandler(jobs, agents, credentials,
            new InMemoryAgentMessageLedger(), logs, securityLog, new InMemoryDeploymentStore(), rejectedMessages,
            Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeEach
    void registerAgentsAndAssignTheJob() {
        Instant registered = NOW.minusSeconds(3600);
        credentials.putSession(new AgentSession("hash-a", AGENT, registered, NOW.plusSeconds(3600), KEY_OF_AGENT, null, false));
        credentials.putSession(new AgentSession("hash-i", INTRUDER, registered, NOW.plusSeconds(3600), KEY_OF_INTRUDER, null, false));
        agents.create(holding(Agent.registered(AGENT, "build-box-1", List.of("default"), "0.1.0", registered,
                NOW.plusSeconds(3600), Actors.agent(AGENT)), JOB));
        agents.create(Agent.registered(INTRUDER, "intruder", List.of("default"), "0.1.0", registered,
                NOW.plusSeconds(3600), Actors.agent(INTRUDER)));
        jobs.create(job(JOB, JobState.ASSIGNED));
    }

    @Test
    void shouldPassTheJobAndReleaseTheAgent_whenStartedThenFinishedWithExitZero() {
        SQSBatchResponse response = handle("started-then-finished-exit-0.json");

        assertTrue(response.getBatchItemFailures().isEmpty());
        Job job = jobs.find(JOB).orElseThrow();
        assertEquals(JobState.PASSED, job.state());
        assertEquals(0, job.exitStatus());
        assertEquals(NOW, job.startedAt());
        assertEquals(NOW, job.finishedAt());
        assertEquals(Actors.agent(AGENT), job.lastActor());
        assertNull(agents.find(AGENT).orElseThrow().currentJobId(), "the agent may take the next job");
        assertTrue(securityLog.rejections().isEmpty());
        assertTrue(rejectedMessages.kept().isEmpty(), "an applied message is not a dead letter");
    }

    @Test
    void shouldMoveTheDeploymentToLive_whenTheAgentReportsVerifyingThenLive() {
        InMemoryDeploymentStore deployments = new InMemoryDeploymentStore();
        Deployment requested = Deployment.requested(JOB, "production", "9f2c1e0b7d4a5c3e8f1b2a6d0c9e7f4a3b5d1c2e",
                Color.GREEN, "b-1", JOB, false, NOW.minusSeconds(60), "system:state-reactor");
        deployments.createDeployment(DeploymentTransitions.apply(requested,
                new DeploymentEvent.StartDeploy(NOW.minusSeconds(50), "system:state-reactor")).orElseThrow());
        JobUpdaterHandler deploying = new JobUpdaterHandler(jobs, agents, credentials, new InMemoryAgentMessageLedger(),
                logs, securityLog, deployments, rejectedMessages, Clock.fixed(NOW, ZoneOffset.UTC));

        SQSBatchResponse response = deploying.handleRequest(
                EventLoader.loadSQSEvent("events/sqs/deploy-verifying-then-live.json"), null);
        deploying.handleRequest(EventLoader.loadSQSEvent("events/sqs/deploy-verifying-then-live.json"), null);

        assertTrue(response.getBatchItemFailures().isEmpty());
        Deployment live = deployments.findDeployment(JOB).orElseThrow();
        assertEquals(DeploymentState.LIVE, live.state());
        assertEquals(NOW, live.liveAt());
        assertEquals(Actors.agent(AGENT), live.lastActor());
        assertEquals(4, live.version(), "the re-delivered batch changed nothing");
        assertTrue(securityLog.rejections().isEmpty(), () -> "rejections: " + securityLog.rejections());
    }

    @Test
    void shouldFailTheJob_whenFinishedWithExitOne() {
        SQSBatchResponse response = handle("started-then-finished-exit-1.json");

        assertTrue(response.getBatchItemFailures().isEmpty());
        Job job = jobs.find(JOB).orElseThrow();
        assertEquals(JobState.FAILED, job.state());
        assertEquals(1, job.exitStatus());
    }

    @Test
    void shouldConfirmTheCancel_whenFinishedArrivesWhileCanceling() {
        jobs.replace(job(JOB, JobState.CANCELING).toBuilder().reason("canceled_by_user").build());

        handle("finished-exit-143-sigterm.json");

        Job job = jobs.find(JOB).orElseThrow();
        assertEquals(JobState.CANCELED, job.state());
        assertEquals(143, job.exitStatus());
        assertEquals("SIGTERM", job.signal());
        assertEquals("canceled_by_user", job.reason());
    }

    @Test
    void shouldConfirmTheTimeout_whenFinishedArrivesWhileTimingOut() {
        jobs.replace(job(JOB, JobState.TIMING_OUT).toBuilder().reason("timeout").build());

        handle("finished-exit-143-sigterm.json");

        assertEquals(JobState.TIMED_OUT, jobs.find(JOB).orElseThrow().state());
    }

    @Test
    void shouldApplyOneTransition_whenTheSameSqsMessagesAreDeliveredTwice() {
        handle("started-then-finished-exit-0.json");
        Job afterFirst = jobs.find(JOB).orElseThrow();

        SQSBatchResponse again = handle("started-then-finished-exit-0.json");

        assertTrue(again.getBatchItemFailures().isEmpty(), "a re-delivery is acknowledged");
        assertEquals(afterFirst, jobs.find(JOB).orElseThrow());
        assertTrue(securityLog.rejections().isEmpty(), "a re-delivery is not a replay");
    }

    @Test
    void shouldRejectAndAudit_whenTheSignatureIsForged() {
        SQSBatchResponse response = handle("forged-signature.json");

        assertTrue(response.getBatchItemFailures().isEmpty(), "a forged message is acknowledged, never retried");
        assertEquals(JobState.ASSIGNED, jobs.find(JOB).orElseThrow().state());
        SecurityLog.Rejection rejection = onlyRejection();
        assertEquals("6a1c3e27-0004-4d3b-9c1e-000000000001", rejection.id());
        assertEquals("bad_signature", rejection.reason());
        assertEquals("job:" + JOB, rejection.subject());
        assertEquals(Actors.agent(AGENT), rejection.actor());
        assertEquals(NOW, rejection.at());
    }

    @Test
    void shouldKeepTheRejectedMessageInTheDeadLetterQueue_whenTheSignatureIsForged() {
        SQSEvent event = EventLoader.loadSQSEvent("events/sqs/forged-signature.json");

        handler.handleRequest(event, null);

        InMemoryRejectedMessageQueue.Kept kept = rejectedMessages.kept().getFirst();
        assertEquals(1, rejectedMessages.kept().size());
        assertEquals("6a1c3e27-0004-4d3b-9c1e-000000000001", kept.message().sqsMessageId());
        assertEquals(event.getRecords().getFirst().getBody(), kept.message().body(), "the body as the agent sent it");
        assertEquals(RejectionCode.BAD_SIGNATURE, kept.code());
        assertEquals(onlyRejection().detail(), kept.detail(), "the same reason as the security log's");
    }

    @Test
    void shouldKeepEveryMalformedMessage_whenABatchOfThemArrives() {
        handle("malformed-bodies.json");

        assertEquals(2, rejectedMessages.kept().size());
        assertTrue(rejectedMessages.kept().stream().allMatch(kept -> kept.code() == RejectionCode.MALFORMED));
    }

    @Test
    void shouldHaveTheRejectedMessageDeliveredAgain_whenTheDeadLetterQueueRefusesIt() {
        List<String> keptIds = new java.util.ArrayList<>();
        boolean[] queueUp = {false};
        JobUpdaterHandler withFlakyQueue = new JobUpdaterHandler(jobs, agents, credentials,
                new InMemoryAgentMessageLedger(), logs, securityLog, new InMemoryDeploymentStore(),
                (message, code, detail) -> {
                    if (!queueUp[0]) {
                        throw new IllegalStateException("SQS unavailable");
                    }
                    keptIds.add(message.sqsMessageId());
                }, Clock.fixed(NOW, ZoneOffset.UTC));

        SQSBatchResponse first = withFlakyQueue.handleRequest(
                EventLoader.loadSQSEvent("events/sqs/forged-signature.json"), null);
        queueUp[0] = true;
        SQSBatchResponse second = withFlakyQueue.handleRequest(
                EventLoader.loadSQSEvent("events/sqs/forged-signature.json"), null);

        assertEquals(List.of("6a1c3e27-0004-4d3b-9c1e-000000000001"),
                first.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList(),
                "not acknowledged before it is kept");
        assertTrue(second.getBatchItemFailures().isEmpty());
        assertEquals(List.of("6a1c3e27-0004-4d3b-9c1e-000000000001"), keptIds);
        assertEquals(1, securityLog.rejections().size(), "the re-delivery is recorded once");
        assertEquals(JobState.ASSIGNED, jobs.find(JOB).orElseThrow().state());
    }

    @Test
    void shouldRejectAndAudit_whenTheSignatureIsMissing() {
        handle("missing-signature.json");

        assertEquals("bad_signature", onlyRejection().reason());
        assertEquals(JobState.ASSIGNED, jobs.find(JOB).orElseThrow().state());
    }

    @Test
    void shouldRejectAndAudit_whenTheTimestampIsStale() {
        SQSBatchResponse response = handle("stale-timestamp.json");

        assertTrue(response.getBatchItemFailures().isEmpty());
        assertEquals("stale_timestamp", onlyRejection().reason());
        assertEquals(JobState.ASSIGNED, jobs.find(JOB).orElseThrow().state());
    }

    @Test
    void shouldRejectAndAudit_whenASignedMessageIsReplayedUnderANewSqsMessageId() {
        handle("started-then-finished-exit-0.json");
        Job finished = jobs.find(JOB).orElseThrow();

        SQSBatchResponse response = handle("replay-of-started.json");

        assertTrue(response.getBatchItemFailures().isEmpty());
        SecurityLog.Rejection rejection = onlyRejection();
        assertEquals("replay", rejection.reason());
        assertEquals("6a1c3e27-0006-4d3b-9c1e-000000000001", rejection.id());
        assertEquals(finished, jobs.find(JOB).orElseThrow());
    }

    @Test
    void shouldRejectAndAudit_whenTheAgentDoesNotHoldTheJob() {
        handle("wrong-agent.json");

        SecurityLog.Rejection rejection = onlyRejection();
        assertEquals("not_assigned", rejection.reason());
        assertEquals(Actors.agent(INTRUDER), rejection.actor());
        Job job = jobs.find(JOB).orElseThrow();
        assertEquals(JobState.ASSIGNED, job.state());
        assertEquals(AGENT, job.agentId());
    }

    @Test
    void shouldRejectAndAudit_whenTheBodyIsMalformed() {
        SQSBatchResponse response = handle("malformed-bodies.json");

        assertTrue(response.getBatchItemFailures().isEmpty());
        assertEquals(2, securityLog.rejections().size());
        assertTrue(securityLog.rejections().stream().allMatch(rejection -> rejection.reason().equals("malformed")));
        assertTrue(securityLog.rejections().stream().anyMatch(rejection -> rejection.detail().contains("attempt")),
                "the schema problem names the missing field");
        assertEquals(JobState.ASSIGNED, jobs.find(JOB).orElseThrow().state());
    }

    @Test
    void shouldRejectAndAudit_whenTheJobIsUnknown() {
        handle("unknown-job.json");

        SecurityLog.Rejection rejection = onlyRejection();
        assertEquals("unknown_job", rejection.reason());
        assertEquals("job:j-unknown", rejection.subject());
    }

    @Test
    void shouldStoreLogChunksInOrderOnce_whenTheBatchIsDeliveredTwice() {
        handle("log-chunks.json");
        handle("log-chunks.json");

        List<LogStore.LogChunk> chunks = logs.read(JOB, -1, 10);
        assertEquals(List.of(1L, 2L), chunks.stream().map(LogStore.LogChunk::seq).toList());
        assertEquals(List.of(0L, 32L), chunks.stream().map(LogStore.LogChunk::offset).toList());
        assertEquals("[INFO] Scanning for projects...\n[INFO] BUILD SUCCESS\n",
                chunks.get(0).chunk() + chunks.get(1).chunk());
        assertEquals(JobState.PASSED, jobs.find(JOB).orElseThrow().state());
    }

    @Test
    void shouldFailTheRestOfAGroupOnly_whenOneOfItsMessagesFailsTransiently() {
        jobs.create(job(OTHER_JOB, JobState.ASSIGNED));
        jobs.failNextUpdateOf(OTHER_JOB);

        SQSBatchResponse response = handle("two-groups-interleaved.json");

        assertEquals(List.of("6a1c3e27-000b-4d3b-9c1e-000000000002", "6a1c3e27-000b-4d3b-9c1e-000000000004"),
                response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList(),
                "the failed started and the finished behind it in its group");
        assertEquals(JobState.PASSED, jobs.find(JOB).orElseThrow().state(), "the other group went on");
        assertEquals(JobState.ASSIGNED, jobs.find(OTHER_JOB).orElseThrow().state(), "finished did not overtake started");

        SQSEvent retried = EventLoader.loadSQSEvent("events/sqs/two-groups-interleaved.json");
        retried.setRecords(retried.getRecords().stream()
                .filter(message -> message.getAttributes().get("MessageGroupId").equals(OTHER_JOB)).toList());
        SQSBatchResponse second = handler.handleRequest(retried, null);

        assertTrue(second.getBatchItemFailures().isEmpty());
        Job recovered = jobs.find(OTHER_JOB).orElseThrow();
        assertEquals(JobState.PASSED, recovered.state());
        assertNotNull(recovered.startedAt(), "the re-delivered started was applied, not skipped as a re-delivery");
        assertTrue(securityLog.rejections().isEmpty());
    }

    private SQSBatchResponse handle(String fixture) {
        return handler.handleRequest(EventLoader.loadSQSEvent("events/sqs/" + fixture), null);
    }

    private SecurityLog.Rejection onlyRejection() {
        assertEquals(1, securityLog.rejections().size(), () -> "rejections: " + securityLog.rejections());
        return securityLog.rejections().getFirst();
    }

    private static Job job(String id, JobState state) {
        return JobFixtures.inState(state).toBuilder().id(id).agentId(AGENT).assignedAt(NOW.minusSeconds(60)).build();
    }

    private static Agent holding(Agent agent, String jobId) {
        return AgentTransitions.apply(agent, new AgentEvent.AssignJob(jobId, agent.updatedAt(), agent.lastActor()))
                .orElseThrow();
    }

    /** The in-memory repository, with a switch to make one job's next update fail like a throttled DynamoDB call. */
    private static final class FlakyJobRepository implements JobRepository {
        private final InMemoryJobRepository delegate = new InMemoryJobRepository();
        private final Set<String> failNext = ConcurrentHashMap.newKeySet();

        void failNextUpdateOf(String jobId) {
            failNext.add(jobId);
        }

        /** Puts a job in a given state for a test, whatever is stored. */
        void replace(Job job) {
            Job stored = delegate.find(job.id()).orElseThrow();
            delegate.update(job.toBuilder().version(stored.version() + 1).build(), stored.version());
        }

        @Override public Optional<Job> find(String jobId) { return delegate.find(jobId); }
        @Override public WriteResult<Job> create(Job job) { return delegate.create(job); }
        @Override public List<Job> jobsOfBuild(String buildId) { return delegate.jobsOfBuild(buildId); }
        @Override public List<Job> activeJobs() { return delegate.activeJobs(); }

        @Override
        public WriteResult<Job> update(Job next, long expectedVersion) {
            if (failNext.remove(next.id())) {
                throw new IllegalStateException("ProvisionedThroughputExceededException (simulated)");
            }
            return delegate.update(next, expectedVersion);
        }
    }
}
