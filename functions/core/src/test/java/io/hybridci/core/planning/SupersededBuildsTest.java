package io.hybridci.core.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hybridci.core.build.BuildIds;
import io.hybridci.core.github.GithubPayloads;
import io.hybridci.core.github.GithubPush;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobIds;
import io.hybridci.core.job.JobReason;
import io.hybridci.core.job.JobState;
import io.hybridci.core.policy.CancelSuperseded;
import io.hybridci.core.port.contract.Fixtures;
import io.hybridci.core.port.inmemory.InMemoryBuildRepository;
import io.hybridci.core.port.inmemory.InMemoryJobRepository;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cancelling superseded builds (issue 10): opt-in per branch pattern, never the default branch by a wildcard. */
class SupersededBuildsTest {

    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    private final InMemoryBuildRepository builds = new InMemoryBuildRepository();
    private final InMemoryJobRepository jobs = new InMemoryJobRepository();

    private BuildPlanner plannerAt(Instant now, String patterns) {
        return new BuildPlanner(builds, jobs, Clock.fixed(now, ZoneOffset.UTC), CancelSuperseded.parse(patterns));
    }

    @Test
    void shouldCancelQueuedAndRunningAndSkipPendingJobsOfTheOlderBuild_whenANewerPushToAnOptedInBranchArrives() {
        plannerAt(T0, "feature/**").plan(pushTo("feature/login", "delivery-1"));
        String older = BuildIds.of("delivery-1");
        jobs.create(Fixtures.job(older, "test", 1, JobState.RUNNING, "default"));
        jobs.create(Fixtures.job(older, "deploy", 1, JobState.PENDING, "default"));

        plannerAt(T0.plusSeconds(30), "feature/**").plan(pushTo("feature/login", "delivery-2"));

        Job bootstrap = jobs.find(JobIds.of(older, "bootstrap", 1)).orElseThrow();
        assertEquals(JobState.CANCELED, bootstrap.state());
        assertEquals(JobReason.BUILD_CANCELED, bootstrap.reason());
        assertEquals(JobState.CANCELING, jobs.find(older + "-test-1").orElseThrow().state());
        assertEquals(JobState.SKIPPED, jobs.find(older + "-deploy-1").orElseThrow().state());
        String newer = BuildIds.of("delivery-2");
        assertEquals(JobState.QUEUED, jobs.find(JobIds.of(newer, "bootstrap", 1)).orElseThrow().state());
    }

    @Test
    void shouldLeaveOlderBuildsRunning_whenTheBranchIsNotOptedIn() {
        plannerAt(T0, "feature/**").plan(pushTo("release/2.0", "delivery-1"));
        plannerAt(T0.plusSeconds(30), "feature/**").plan(pushTo("release/2.0", "delivery-2"));

        assertEquals(JobState.QUEUED, jobs.find(JobIds.of(BuildIds.of("delivery-1"), "bootstrap", 1)).orElseThrow().state());
    }

    @Test
    void shouldLeaveTheDefaultBranchAlone_whenOnlyAWildcardMatchesIt() {
        plannerAt(T0, "*").plan(pushTo("main", "delivery-1"));
        plannerAt(T0.plusSeconds(30), "*").plan(pushTo("main", "delivery-2"));

        assertEquals(JobState.QUEUED, jobs.find(JobIds.of(BuildIds.of("delivery-1"), "bootstrap", 1)).orElseThrow().state());
    }

    @Test
    void shouldNotCancelTheNewerBuild_whenTheOlderPushIsDeliveredAgain() {
        plannerAt(T0, "feature/**").plan(pushTo("feature/login", "delivery-1"));
        plannerAt(T0.plusSeconds(30), "feature/**").plan(pushTo("feature/login", "delivery-2"));

        // The first delivery again (GitHub redelivers): its build exists already and is older than the second.
        plannerAt(T0.plusSeconds(60), "feature/**").plan(pushTo("feature/login", "delivery-1"));

        assertEquals(JobState.QUEUED, jobs.find(JobIds.of(BuildIds.of("delivery-2"), "bootstrap", 1)).orElseThrow().state());
    }

    @ParameterizedTest(name = "{0} on {1} (default main) → {2}")
    @CsvSource(delimiter = ';', nullValues = "NULL", value = {
            "feature/**;feature/a/b;true",
            "feature/*;feature/a/b;false",
            "*;main;false",
            "main, feature/*;main;true",
            "*;NULL;false",
            "'';feature/a;false"})
    void shouldOptBranchesIn_whenPatternsMatch(String patterns, String branch, boolean applies) {
        assertEquals(applies, CancelSuperseded.parse(patterns).appliesTo(branch, "main"));
    }

    /** The real push fixture, moved to {@code branch} under another delivery id. */
    private static GithubPush pushTo(String branch, String delivery) {
        GithubPush push = (GithubPush) GithubPayloads.normalized("push", delivery, GithubPayloads.load("push"));
        return new GithubPush(delivery, push.repository(), "refs/heads/" + branch, branch, null, push.before(),
                push.after(), push.deleted(), push.created(), push.forced(), push.pusher(), push.sender(),
                push.headCommit(), push.changedPaths(), push.changedPathsTruncated());
    }
}
