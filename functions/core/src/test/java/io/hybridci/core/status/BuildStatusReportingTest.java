package io.hybridci.core.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildSource;
import io.hybridci.core.build.BuildState;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.port.inmemory.InMemoryBuildRepository;
import io.hybridci.core.port.inmemory.InMemoryJobRepository;
import io.hybridci.core.port.inmemory.RecordingCommitStatusReporter;
import io.hybridci.core.status.BuildStatusReporting.StatusSettings;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuildStatusReportingTest {

    private static final String SHA = "9f2c1e0b7d4a5c3e8f1b2a6d0c9e7f4a3b5d1c2e";
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    private final InMemoryBuildRepository builds = new InMemoryBuildRepository();
    private final RecordingCommitStatusReporter github = new RecordingCommitStatusReporter();
    private final BuildStatusReporting reporting = new BuildStatusReporting(builds, github,
            new StatusSettings(Optional.of(URI.create("https://ci.example.com/")), "hybridci"));

    @Test
    void shouldReportPendingPendingSuccess_whenBuildPasses() {
        List<CommitState> states = run(BuildState.RUNNING, BuildState.PASSED);

        assertEquals(List.of(CommitState.PENDING, CommitState.PENDING, CommitState.SUCCESS), states);
        RecordingCommitStatusReporter.Call last = github.calls().getLast();
        assertEquals("acme/widgets", last.repo());
        assertEquals(SHA, last.commit());
        assertEquals("https://ci.example.com/#/builds/b-1", last.status().targetUrl());
        assertEquals("Build passed in 2m 5s", last.status().description());
        assertEquals("hybridci", last.status().context());
    }

    @Test
    void shouldReportPendingPendingFailure_whenBuildFails() {
        List<CommitState> states = run(BuildState.RUNNING, BuildState.FAILED);

        assertEquals(List.of(CommitState.PENDING, CommitState.PENDING, CommitState.FAILURE), states);
    }

    @ParameterizedTest
    @CsvSource({"CREATED,PENDING", "RUNNING,PENDING", "BLOCKED,PENDING", "PASSED,SUCCESS", "FAILED,FAILURE",
            "CANCELED,ERROR"})
    void shouldMapEveryBuildState_whenReporting(BuildState build, CommitState expected) {
        assertEquals(expected, CommitState.of(build));
    }

    @Test
    void shouldReportStoredState_whenEventArrivesOutOfOrder() {
        Build build = stored();
        Build passed = store(store(build, BuildState.RUNNING, T0.plusSeconds(5)), BuildState.PASSED, T0.plusSeconds(9));

        reporting.report(new BuildStateChange(passed.id(), passed.repo(), SHA, BuildState.RUNNING));

        assertEquals(CommitState.SUCCESS, github.calls().getLast().status().state());
    }

    @Test
    void shouldOmitTheLink_whenNoDashboardUrlIsConfigured() {
        stored();
        BuildStatusReporting noDashboard = new BuildStatusReporting(builds, github,
                new StatusSettings(Optional.empty(), "hybridci"));

        noDashboard.report(new BuildStateChange("b-1", "acme/widgets", SHA, BuildState.CREATED));

        assertNull(github.calls().getLast().status().targetUrl());
    }

    @Test
    void shouldNotReport_whenTheBuildHasNoCommit() {
        StatusReport report = reporting.report(new BuildStateChange("b-1", "acme/widgets", "0".repeat(40),
                BuildState.CREATED));

        assertInstanceOf(StatusReport.NotReported.class, report);
        assertTrue(github.calls().isEmpty());
    }

    @Test
    void shouldThrow_whenGithubRefusesTheStatus() {
        stored();
        github.failNext(1);

        assertThrows(StatusReportException.class,
                () -> reporting.report(new BuildStateChange("b-1", "acme/widgets", SHA, BuildState.CREATED)));
    }

    @Test
    void shouldCutTheDescriptionTo140Characters_whenLonger() {
        CommitStatus status = new CommitStatus(CommitState.PENDING, null, "é".repeat(200), "ctx");

        assertEquals(140, status.description().length());
        assertTrue(status.description().endsWith("…"));
    }

    /** Stores a CREATED build, then moves it through {@code states}, reporting after each change. */
    // ---------------------------------------------------------------- per-job statuses

    private final InMemoryJobRepository jobs = new InMemoryJobRepository();
    private final BuildStatusReporting perJob = new BuildStatusReporting(builds, jobs, github,
            new StatusSettings(Optional.of(URI.create("https://ci.example.com")), "hybridci", true));

    @Test
    void shouldReportEachJobUnderItsOwnContext_whenPerJobStatusesAreOn() {
        stored();
        Job job = storeJob(Job.planned("b-1", "test", "Tests", JobKind.COMMAND, "default", 0, List.of(), "make test",
                Map.of(), null, RetryPolicy.DEFAULT, T0, "system:build-planner").toBuilder().state(JobState.QUEUED).build());
        perJob.report(new JobStateChange(job.id(), "b-1", "test", JobState.QUEUED));
        job = storeJob(job.toBuilder().state(JobState.RUNNING).startedAt(T0.plusSeconds(1)).version(job.version() + 1).build());
        perJob.report(new JobStateChange(job.id(), "b-1", "test", JobState.RUNNING));
        job = storeJob(job.toBuilder().state(JobState.FAILED).exitStatus(2).finishedAt(T0.plusSeconds(4))
                .version(job.version() + 1).build());
        perJob.report(new JobStateChange(job.id(), "b-1", "test", JobState.FAILED));

        assertEquals(List.of("pending Waiting for an agent", "pending Running", "failure Failed in 3s (exit 2)"),
                github.calls().stream().map(call -> call.status().state().apiValue() + " " + call.status().description()).toList());
        assertTrue(github.calls().stream().allMatch(call -> call.status().context().equals("hybridci/test")
                && call.commit().equals(SHA) && call.repo().equals("acme/widgets")
                && call.status().targetUrl().equals("https://ci.example.com/#/builds/b-1")));
    }

    @Test
    void shouldReportNothing_whenPerJobStatusesAreOffTheJobWasRetriedOrNeverRan() {
        stored();
        Job retried = storeJob(Job.planned("b-1", "test", "Tests", JobKind.COMMAND, "default", 0, List.of(), "make test",
                Map.of(), null, RetryPolicy.DEFAULT, T0, "x:y").toBuilder().state(JobState.FAILED).retriedBy("j-2").build());
        Job skipped = storeJob(Job.planned("b-1", "docs", "Docs", JobKind.COMMAND, "default", 0, List.of(), "make docs",
                Map.of(), null, RetryPolicy.DEFAULT, T0, "x:y").toBuilder().state(JobState.SKIPPED).build());

        assertInstanceOf(StatusReport.NotReported.class, reporting.report(new JobStateChange(retried.id(), "b-1", "test", JobState.FAILED)));
        assertInstanceOf(StatusReport.NotReported.class, perJob.report(new JobStateChange(retried.id(), "b-1", "test", JobState.FAILED)));
        assertInstanceOf(StatusReport.NotReported.class, perJob.report(new JobStateChange(skipped.id(), "b-1", "docs", JobState.SKIPPED)));
        assertEquals(List.of(), github.calls());
    }

    private Job storeJob(Job job) {
        if (job.version() == 1) {
            assertTrue(jobs.create(job).written());
        } else {
            assertTrue(jobs.update(job, job.version() - 1).written());
        }
        return job;
    }

    private List<CommitState> run(BuildState... states) {
        Build build = stored();
        reporting.report(new BuildStateChange(build.id(), build.repo(), SHA, BuildState.CREATED));
        Instant at = T0;
        for (BuildState state : states) {
            at = at.plusSeconds(state.isFinished() ? 125 : 0);
            build = store(build, state, at);
            reporting.report(new BuildStateChange(build.id(), build.repo(), SHA, state));
        }
        return github.calls().stream().map(call -> call.status().state()).toList();
    }

    private Build stored() {
        Build build = Build.created("b-1", "acme/widgets", "https://github.com/acme/widgets.git", "main", null, SHA,
                "Fix", "octo", "octo", BuildSource.PUSH, null, T0, "github:octo");
        builds.create(build);
        return build;
    }

    private Build store(Build build, BuildState state, Instant at) {
        Build next = build.withState(state, at, "system:state-reactor");
        assertTrue(builds.update(next, build.version()).written());
        return next;
    }
}
