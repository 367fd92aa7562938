package io.hybridci.core.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.approval.ApprovalResult;
import io.hybridci.core.approval.BlockApprovals;
import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildIds;
import io.hybridci.core.build.BuildRollup;
import io.hybridci.core.build.BuildState;
import io.hybridci.core.github.GithubPayloads;
import io.hybridci.core.github.GithubPullRequest;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobIds;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobReason;
import io.hybridci.core.job.JobState;
import io.hybridci.core.pipeline.ParseResult;
import io.hybridci.core.pipeline.PipelineParser;
import io.hybridci.core.port.inmemory.InMemoryBuildRepository;
import io.hybridci.core.port.inmemory.InMemoryConcurrencySlots;
import io.hybridci.core.port.inmemory.InMemoryJobRepository;
import io.hybridci.core.port.inmemory.RecordingEventPublisher;
import io.hybridci.core.port.inmemory.RecordingJobDispatcher;
import io.hybridci.core.reaction.JobChange;
import io.hybridci.core.reaction.StateReactor;
import io.hybridci.core.userapi.BootstrapBuilds;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A fork pull request's build waits behind a maintainer's approval (issue 10); the planner, approvals and reactor together. */
class ForkPullRequestGateTest {

    private static final String DELIVERY = "9f1c2a00-cc78-11e3-81ab-4c9367dc0958";
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:01Z");
    private static final String BUILD = BuildIds.of(DELIVERY);
    private static final String GATE = JobIds.of(BUILD, BootstrapBuilds.FORK_APPROVAL_KEY, 1);
    private static final String BOOTSTRAP = JobIds.of(BUILD, BootstrapBuilds.BOOTSTRAP_KEY, 1);

    private final InMemoryBuildRepository builds = new InMemoryBuildRepository();
    private final InMemoryJobRepository jobs = new InMemoryJobRepository();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final BuildPlanner planner = new BuildPlanner(builds, jobs, clock);
    private final BlockApprovals approvals = new BlockApprovals(jobs, clock);
    private final RecordingJobDispatcher dispatcher = new RecordingJobDispatcher();
    private final StateReactor reactor = new StateReactor(jobs, builds, dispatcher, new RecordingEventPublisher(),
            new InMemoryConcurrencySlots(), clock);

    private static GithubPullRequest pullRequest(String fixture) {
        return (GithubPullRequest) GithubPayloads.normalized("pull_request", DELIVERY, GithubPayloads.load(fixture));
    }

    private Job job(String id) {
        return jobs.find(id).orElseThrow();
    }

    /** What the state stream delivers for the decision: the gate before and after. */
    private void reactToDecision(Job gateBefore, ApprovalResult decision) {
        Job gateAfter = assertInstanceOf(ApprovalResult.Done.class, decision).job();
        reactor.react(new JobChange("stream-1", gateBefore, gateAfter));
    }

    @Test
    void shouldBlockTheBuildBehindAnApprovalGate_whenThePullRequestComesFromAFork() {
        PlanOutcome outcome = planner.plan(pullRequest("pull_request-synchronize-fork"));

        assertEquals(new PlanOutcome.Planned(BUILD, List.of(GATE, BOOTSTRAP), List.of()), outcome);
        Job gate = job(GATE);
        assertEquals(JobKind.BLOCK, gate.kind());
        assertEquals(JobState.BLOCKED, gate.state());
        assertEquals("Approve build of fork PR #43 from stranger/widgets", gate.label());
        Job bootstrap = job(BOOTSTRAP);
        assertEquals(JobState.PENDING, bootstrap.state());
        assertEquals(List.of(BootstrapBuilds.FORK_APPROVAL_KEY), bootstrap.dependsOn());
        assertEquals(BuildState.BLOCKED, BuildRollup.of(jobs.jobsOfBuild(BUILD)));
    }

    @Test
    void shouldQueueTheBootstrapAtOnce_whenThePullRequestComesFromTheSameRepository() {
        planner.plan(pullRequest("pull_request-opened"));

        List<Job> created = jobs.jobsOfBuild(BUILD);
        assertEquals(1, created.size());
        assertEquals(BootstrapBuilds.BOOTSTRAP_KEY, created.getFirst().key());
        assertEquals(JobState.QUEUED, created.getFirst().state());
        assertTrue(created.getFirst().dependsOn().isEmpty());
    }

    @Test
    void shouldCreateNothingTwice_whenTheForkPullRequestIsDeliveredAgain() {
        planner.plan(pullRequest("pull_request-synchronize-fork"));

        PlanOutcome again = planner.plan(pullRequest("pull_request-synchronize-fork"));

        assertEquals(new PlanOutcome.Planned(BUILD, List.of(), List.of(GATE, BOOTSTRAP)), again);
        assertEquals(2, jobs.jobsOfBuild(BUILD).size());
        assertEquals(1, builds.find(BUILD).orElseThrow().version());
    }

    @Test
    void shouldQueueAndDispatchTheBootstrap_whenAMaintainerApprovesTheGate() {
        planner.plan(pullRequest("pull_request-synchronize-fork"));
        Job gateBefore = job(GATE);

        reactToDecision(gateBefore, approvals.approve(GATE, Map.of(), "user:maintainer"));

        assertEquals(JobState.PASSED, job(GATE).state());
        assertEquals(JobState.QUEUED, job(BOOTSTRAP).state());
        assertEquals(1, dispatcher.sent().size());
        assertTrue(dispatcher.sent().getFirst().messageJson().contains(BOOTSTRAP));
        assertEquals(BuildState.RUNNING, builds.find(BUILD).orElseThrow().state());
    }

    @Test
    void shouldFailTheBuildAndSkipTheBootstrap_whenAMaintainerRejectsTheGate() {
        planner.plan(pullRequest("pull_request-synchronize-fork"));
        Job gateBefore = job(GATE);

        reactToDecision(gateBefore, approvals.reject(GATE, "user:maintainer"));

        assertEquals(JobState.FAILED, job(GATE).state());
        assertEquals(JobState.SKIPPED, job(BOOTSTRAP).state());
        assertEquals(JobReason.DEPENDENCY_FAILED, job(BOOTSTRAP).reason());
        assertTrue(dispatcher.sent().isEmpty());
        Build build = builds.find(BUILD).orElseThrow();
        assertEquals(BuildState.FAILED, build.state());
    }

    @Test
    void shouldRefuseThePipeline_whenAStepTakesTheForkApprovalKey() {
        planner.plan(pullRequest("pull_request-opened"));
        var pipeline = ((ParseResult.Parsed) PipelineParser.parse(
                "steps:\n  - key: fork-approval\n    command: make\n")).pipeline();

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> planner.plan(new UploadedPipeline(BUILD, BOOTSTRAP, "a-7f3c9d", BOOTSTRAP, NOW, pipeline)));

        assertTrue(refused.getMessage().contains("fork-approval"), refused.getMessage());
        assertEquals(1, jobs.jobsOfBuild(BUILD).size());
    }
}
