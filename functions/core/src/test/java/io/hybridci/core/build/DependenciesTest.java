package io.hybridci.core.build;

import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobFixtures;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobReason;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.hybridci.core.build.BuildRollupTest.job;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DependenciesTest {

    private static final Job DEPLOY = JobFixtures.planned("deploy", JobKind.COMMAND, List.of("test", "lint"),
            RetryPolicy.DEFAULT);

    @Test
    void shouldBeReady_whenEveryDependencyPassed() {
        Map<String, Job> latest = Map.of("test", job("test", JobState.PASSED), "lint", job("lint", JobState.PASSED));

        assertEquals(new DependencyDecision.Ready(), Dependencies.evaluate(DEPLOY, latest));
    }

    @Test
    void shouldBeReady_whenThereAreNoDependencies() {
        assertEquals(new DependencyDecision.Ready(), Dependencies.evaluate(JobFixtures.planned(JobKind.COMMAND), Map.of()));
    }

    @Test
    void shouldWait_whenADependencyIsRunningMissingOrBeingRetried() {
        Map<String, Job> latest = Map.of("test", job("test", JobState.RUNNING),
                "other", job("other", JobState.PASSED));
        Map<String, Job> retried = Map.of("test", job("test", JobState.FAILED).withRetriedBy("next"),
                "lint", job("lint", JobState.PASSED));

        assertEquals(new DependencyDecision.Waiting(List.of("test", "lint")), Dependencies.evaluate(DEPLOY, latest));
        assertEquals(new DependencyDecision.Waiting(List.of("test")), Dependencies.evaluate(DEPLOY, retried));
    }

    @Test
    void shouldSkip_whenADependencyEndedWithoutPassing_evenIfAnotherStillRuns() {
        Map<String, Job> latest = Map.of("test", job("test", JobState.RUNNING), "lint", job("lint", JobState.CANCELED));

        assertEquals(new DependencyDecision.Skip(JobReason.DEPENDENCY_FAILED, "lint"), Dependencies.evaluate(DEPLOY, latest));
    }

    @Test
    void shouldDecideNothing_whenTheJobIsNoLongerPending() {
        assertEquals(new DependencyDecision.NotPending(), Dependencies.evaluate(job("deploy", JobState.QUEUED), Map.of()));
    }
}
