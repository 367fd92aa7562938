package io.hybridci.core.build;

import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobFixtures;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.statemachine.RejectionReason;
import io.hybridci.core.statemachine.Transition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.hybridci.core.job.JobState.BLOCKED;
import static io.hybridci.core.job.JobState.CANCELED;
import static io.hybridci.core.job.JobState.EXPIRED;
import static io.hybridci.core.job.JobState.FAILED;
import static io.hybridci.core.job.JobState.PASSED;
import static io.hybridci.core.job.JobState.PENDING;
import static io.hybridci.core.job.JobState.QUEUED;
import static io.hybridci.core.job.JobState.RUNNING;
import static io.hybridci.core.job.JobState.SKIPPED;
import static io.hybridci.core.job.JobState.TIMED_OUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class BuildRollupTest {

    static Job job(String key, JobState state) {
        return job(key, 1, state);
    }

    static Job job(String key, int attempt, JobState state) {
        JobKind kind = state == BLOCKED ? JobKind.BLOCK : JobKind.COMMAND;
        return JobFixtures.inState(state, key, attempt, kind, RetryPolicy.DEFAULT);
    }

    @Test
    void shouldBeCreated_whenThereAreNoJobsOrNoneHasStarted() {
        assertEquals(BuildState.CREATED, BuildRollup.of(List.of()));
        assertEquals(BuildState.CREATED, BuildRollup.of(List.of(job("a", QUEUED), job("b", PENDING))));
    }

    @Test
    void shouldBeRunning_whenAnyJobIsHeldByAnAgent() {
        assertEquals(BuildState.RUNNING, BuildRollup.of(List.of(job("a", RUNNING), job("b", FAILED), job("c", BLOCKED))));
    }

    @Test
    void shouldBeRunning_whenJobsWaitAfterOthersFinished() {
        assertEquals(BuildState.RUNNING, BuildRollup.of(List.of(job("a", PASSED), job("b", QUEUED))));
        assertEquals(BuildState.RUNNING, BuildRollup.of(List.of(job("a", PASSED), job("b", PENDING))));
    }

    @Test
    void shouldBeBlocked_whenOnlyABlockStepAndItsDependentsRemain() {
        assertEquals(BuildState.BLOCKED, BuildRollup.of(List.of(job("a", PASSED), job("gate", BLOCKED), job("deploy", PENDING))));
    }

    @Test
    void shouldFail_whenAllFinishedAndAnyFailedTimedOutOrExpired() {
        assertEquals(BuildState.FAILED, BuildRollup.of(List.of(job("a", PASSED), job("b", FAILED), job("c", SKIPPED))));
        assertEquals(BuildState.FAILED, BuildRollup.of(List.of(job("a", TIMED_OUT), job("b", CANCELED))));
        assertEquals(BuildState.FAILED, BuildRollup.of(List.of(job("a", EXPIRED))));
    }

    @Test
    void shouldBeCanceled_whenAllFinishedNoneFailedAndOneCanceled() {
        assertEquals(BuildState.CANCELED, BuildRollup.of(List.of(job("a", PASSED), job("b", CANCELED), job("c", SKIPPED))));
    }

    @Test
    void shouldPass_whenAllPassedOrSkipped() {
        assertEquals(BuildState.PASSED, BuildRollup.of(List.of(job("a", PASSED), job("b", SKIPPED))));
    }

    @Test
    void shouldIgnoreARetriedFailure_whenTheLatestAttemptPassed() {
        Job firstAttempt = job("a", 1, FAILED).withRetriedBy("second");
        Job secondAttempt = job("a", 2, PASSED);

        assertEquals(BuildState.PASSED, BuildRollup.of(List.of(secondAttempt, firstAttempt, job("b", PASSED))));
        assertEquals(BuildState.RUNNING, BuildRollup.of(List.of(firstAttempt, job("a", 2, QUEUED))));
    }

    @Test
    void shouldStampStartAndFinish_whenApplyMovesTheBuild() {
        Instant at = JobFixtures.T0.plusSeconds(30);
        Build build = Build.created("b1", "acme/app", "https://github.com/acme/app.git", "main", null, "abc123",
                "fix", "alice", "alice", BuildSource.PUSH, null, JobFixtures.T0, "github:alice");

        Build running = BuildRollup.apply(build, List.of(job("a", RUNNING)), at, "system:state-reactor").orElseThrow();
        Build passed = BuildRollup.apply(running, List.of(job("a", PASSED)), at.plusSeconds(5), "system:state-reactor")
                .orElseThrow();

        assertEquals(BuildState.RUNNING, running.state());
        assertEquals(at, running.startedAt());
        assertNull(running.finishedAt());
        assertEquals(at, passed.startedAt());
        assertNotNull(passed.finishedAt());
        assertEquals(3, passed.version());
        Transition.Rejected<?> same = assertInstanceOf(Transition.Rejected.class,
                BuildRollup.apply(passed, List.of(job("a", PASSED)), at, "system:state-reactor"));
        assertEquals(RejectionReason.ALREADY_APPLIED, same.reason());
    }
}
