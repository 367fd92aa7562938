package io.hybridci.core.job;

import io.hybridci.core.statemachine.RejectionReason;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.hybridci.core.job.JobFixtures.AGENT;
import static io.hybridci.core.job.JobFixtures.inState;
import static io.hybridci.core.job.JobTransitionsTest.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetriesTest {

    private static final Instant AT = JobFixtures.T0.plusSeconds(600);
    private static final RetryPolicy EXIT_2_TWICE =
            new RetryPolicy(List.of(RetryPolicy.AutomaticRetry.onExitStatus(2, 2)), true);

    private static Job failedWith(int exitStatus, int attempt, RetryPolicy policy) {
        return inState(JobState.FAILED, "test", attempt, JobKind.COMMAND, policy).toBuilder()
                .exitStatus(exitStatus).build();
    }

    private static Job lostAgent(int attempt) {
        Job running = inState(JobState.RUNNING, "test", attempt, JobKind.COMMAND, RetryPolicy.DEFAULT);
        return JobTransitions.apply(running, new JobEvent.AgentLost(AGENT, AT, "system:reaper")).orElseThrow();
    }

    @Test
    void shouldQueueTheNextAttempt_whenAFailureMatchesARule() {
        Job failed = failedWith(2, 1, EXIT_2_TWICE);

        Retry retry = Retries.automaticRetry(failed, List.of()).orElseThrow();

        Job next = retry.next();
        assertEquals(2, next.attempt());
        assertEquals(JobState.QUEUED, next.state());
        assertEquals(JobIds.of(failed.buildId(), failed.key(), 2), next.id());
        assertEquals(failed.id(), next.retryOf());
        assertEquals(1, next.version());
        assertNull(next.agentId());
        assertNull(next.exitStatus());
        assertEquals(next.id(), retry.previous().retriedBy());
        assertEquals(failed.version() + 1, retry.previous().version());
        assertEquals(JobState.FAILED, retry.previous().state());
    }

    @Test
    void shouldDecideTheSameRetry_whenTheSameFailureIsProcessedTwice() {
        Job failed = failedWith(2, 1, EXIT_2_TWICE);

        assertEquals(Retries.automaticRetry(failed, List.of()), Retries.automaticRetry(failed, List.of()));
    }

    @Test
    void shouldNotRetry_whenTheExitStatusMatchesNoRule() {
        assertEquals(Optional.empty(), Retries.automaticRetry(failedWith(1, 1, EXIT_2_TWICE), List.of()));
    }

    @Test
    void shouldStopRetrying_whenTheRuleLimitIsUsedUp() {
        List<Job> attempts = new ArrayList<>();
        Job current = failedWith(2, 1, EXIT_2_TWICE);
        int retries = 0;
        while (true) {
            Optional<Retry> retry = Retries.automaticRetry(current, attempts);
            if (retry.isEmpty()) {
                break;
            }
            retries++;
            attempts.add(retry.get().previous());
            current = failedWith(2, retry.get().next().attempt(), EXIT_2_TWICE);
        }

        assertEquals(2, retries);
        assertEquals(3, current.attempt());
    }

    @Test
    void shouldCountLimitsPerCause_whenAttemptsFailedForDifferentReasons() {
        RetryPolicy policy = new RetryPolicy(List.of(RetryPolicy.AutomaticRetry.onExitStatus(2, 1),
                RetryPolicy.AutomaticRetry.onExitStatus(3, 1)), true);
        Job first = failedWith(2, 1, policy).withRetriedBy("x");

        assertTrue(Retries.automaticRetry(failedWith(3, 2, policy), List.of(first)).isPresent());
        assertTrue(Retries.automaticRetry(failedWith(2, 2, policy), List.of(first)).isEmpty());
    }

    @Test
    void shouldRetryTwiceByDefault_whenTheAgentIsLost() {
        Job lost = lostAgent(1);
        Job lostAgain = lostAgent(2);
        Job lostThird = lostAgent(3);

        assertTrue(Retries.automaticRetry(lost, List.of()).isPresent());
        assertTrue(Retries.automaticRetry(lostAgain, List.of(lost)).isPresent());
        assertTrue(Retries.automaticRetry(lostThird, List.of(lost, lostAgain)).isEmpty());
    }

    @Test
    void shouldNotRetryAutomatically_whenPassedCanceledOrAlreadyRetried() {
        assertTrue(Retries.automaticRetry(inState(JobState.PASSED), List.of()).isEmpty());
        assertTrue(Retries.automaticRetry(inState(JobState.CANCELED), List.of()).isEmpty());
        assertTrue(Retries.automaticRetry(failedWith(2, 1, EXIT_2_TWICE).withRetriedBy("next"), List.of()).isEmpty());
    }

    @Test
    void shouldRetryATimeoutOnlyByACatchAllRule_whenItsExitStatusIsAKillArtefact() {
        Job timedOutWithDefault = inState(JobState.TIMED_OUT, "test", 1, JobKind.COMMAND, RetryPolicy.DEFAULT)
                .toBuilder().exitStatus(RetryPolicy.AGENT_LOST_EXIT_STATUS).build();
        RetryPolicy catchAll = new RetryPolicy(List.of(RetryPolicy.AutomaticRetry.onAnyFailure(1)), true);
        Job timedOutWithCatchAll = inState(JobState.TIMED_OUT, "test", 1, JobKind.COMMAND, catchAll);

        assertTrue(Retries.automaticRetry(timedOutWithDefault, List.of()).isEmpty());
        assertTrue(Retries.automaticRetry(timedOutWithCatchAll, List.of()).isPresent());
    }

    @Test
    void shouldRetryManually_whenAFailedJobAllowsIt() {
        Job failed = failedWith(1, 1, EXIT_2_TWICE);

        Retry retry = Retries.manualRetry(failed, AT, "user:alice").orElseThrow();

        assertEquals(2, retry.next().attempt());
        assertEquals("user:alice", retry.next().lastActor());
        assertEquals(AT, retry.next().queuedAt());
        assertEquals(retry.next().id(), retry.previous().retriedBy());
    }

    @Test
    void shouldRejectAManualRetry_whenTheJobHasNotFinished() {
        assertRejected(RejectionReason.NOT_FINISHED, Retries.manualRetry(inState(JobState.RUNNING), AT, "user:a"));
    }

    @Test
    void shouldRejectAManualRetry_whenTheJobWasAlreadyRetried() {
        Job retried = failedWith(1, 1, EXIT_2_TWICE).withRetriedBy("next");

        assertRejected(RejectionReason.ALREADY_RETRIED, Retries.manualRetry(retried, AT, "user:a"));
    }

    @Test
    void shouldRejectAManualRetry_whenThePolicyOrOutcomeForbidsIt() {
        RetryPolicy noManual = new RetryPolicy(List.of(), false);

        assertRejected(RejectionReason.RETRY_NOT_ALLOWED, Retries.manualRetry(failedWith(1, 1, noManual), AT, "user:a"));
        assertRejected(RejectionReason.RETRY_NOT_ALLOWED, Retries.manualRetry(inState(JobState.PASSED), AT, "user:a"));
        assertRejected(RejectionReason.RETRY_NOT_ALLOWED, Retries.manualRetry(inState(JobState.SKIPPED), AT, "user:a"));
    }
}
