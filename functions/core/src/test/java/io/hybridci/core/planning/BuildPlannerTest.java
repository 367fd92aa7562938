package io.hybridci.core.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildIds;
import io.hybridci.core.build.BuildSource;
import io.hybridci.core.build.BuildState;
import io.hybridci.core.github.GithubPayloads;
import io.hybridci.core.github.GithubPullRequest;
import io.hybridci.core.github.GithubPush;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobIds;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobState;
import io.hybridci.core.pipeline.ParseResult;
import io.hybridci.core.pipeline.Pipeline;
import io.hybridci.core.pipeline.PipelineParser;
import io.hybridci.core.port.inmemory.InMemoryBuildRepository;
import io.hybridci.core.port.inmemory.InMemoryJobRepository;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildPlannerTest {

    private static final String DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:01Z");

    private final InMemoryBuildRepository builds = new InMemoryBuildRepository();
    private final InMemoryJobRepository jobs = new InMemoryJobRepository();
    private final BuildPlanner planner = new BuildPlanner(builds, jobs, Clock.fixed(NOW, ZoneOffset.UTC));

    private static GithubPush push(String fixture) {
        return (GithubPush) GithubPayloads.normalized("push", DELIVERY, GithubPayloads.load(fixture));
    }

    private static GithubPullRequest pullRequest(String fixture) {
        return (GithubPullRequest) GithubPayloads.normalized("pull_request", DELIVERY, GithubPayloads.load(fixture));
    }

    private static Pipeline pipeline(String yaml) {
        return ((ParseResult.Parsed) PipelineParser.parse(yaml)).pipeline();
    }

    private String plannedBuild() {
        planner.plan(push("push"));
        return BuildIds.of(DELIVERY);
    }

    @Test
    void shouldCreateACreatedBuildAndAQueuedBootstrapJob_whenABranchIsPushed() {
        PlanOutcome outcome = planner.plan(push("push"));

        String buildId = BuildIds.of(DELIVERY);
        Build build = builds.find(buildId).orElseThrow();
        assertEquals(BuildState.CREATED, build.state());
        assertEquals(BuildSource.PUSH, build.source());
        assertEquals("acme/widgets", build.repo());
        assertEquals("main", build.branch());
        assertEquals("9f2c1e0b7d4a5c3e8f1b2a6d0c9e7f4a3b5d1c2e", build.commit());
        assertEquals("github:octocat", build.lastActor());
        assertNull(build.pipelineSteps());
        Job bootstrap = jobs.find(JobIds.of(buildId, "bootstrap", 1)).orElseThrow();
        assertEquals(JobKind.BOOTSTRAP, bootstrap.kind());
        assertEquals(JobState.QUEUED, bootstrap.state());
        assertEquals("default", bootstrap.queue());
        assertEquals(new PlanOutcome.Planned(buildId, List.of(bootstrap.id()), List.of()), outcome);
    }

    @Test
    void shouldCreateNothingNew_whenThePushIsDeliveredAgain() {
        planner.plan(push("push"));

        PlanOutcome again = planner.plan(push("push"));

        String buildId = BuildIds.of(DELIVERY);
        assertEquals(new PlanOutcome.Planned(buildId, List.of(), List.of(JobIds.of(buildId, "bootstrap", 1))), again);
        assertEquals(1, jobs.jobsOfBuild(buildId).size());
        assertEquals(1, builds.find(buildId).orElseThrow().version());
    }

    @Test
    void shouldCreateTheMissingBootstrapJob_whenAnEarlierDeliveryStoppedAfterTheBuild() {
        planner.plan(push("push"));
        InMemoryJobRepository emptyJobs = new InMemoryJobRepository();
        BuildPlanner retry = new BuildPlanner(builds, emptyJobs, Clock.fixed(NOW, ZoneOffset.UTC));

        retry.plan(push("push"));

        assertEquals(1, emptyJobs.jobsOfBuild(BuildIds.of(DELIVERY)).size());
    }

    @Test
    void shouldCreateNothing_whenABranchIsDeleted() {
        PlanOutcome outcome = planner.plan(push("push-deleted-branch"));

        assertInstanceOf(PlanOutcome.NothingToBuild.class, outcome);
        assertTrue(builds.find(BuildIds.of(DELIVERY)).isEmpty());
    }

    @Test
    void shouldBuildTheTag_whenATagIsPushed() {
        planner.plan(push("push-tag"));

        Build build = builds.find(BuildIds.of(DELIVERY)).orElseThrow();
        assertEquals("v1.2.0", build.tag());
        assertNull(build.branch());
    }

    @Test
    void shouldBuildTheForkHeadFromTheFork_whenAPullRequestIsSynchronized() {
        planner.plan(pullRequest("pull_request-synchronize-fork"));

        Build build = builds.find(BuildIds.of(DELIVERY)).orElseThrow();
        assertEquals(BuildSource.PULL_REQUEST, build.source());
        assertEquals(43, build.pullRequestNumber());
        assertEquals("https://github.com/stranger/widgets.git", build.cloneUrl());
        assertEquals("patch-1", build.branch());
        assertEquals("github:stranger", build.lastActor());
        // The bootstrap job and the maintainer's gate in front of it (ForkPullRequestGateTest).
        assertEquals(2, jobs.jobsOfBuild(build.id()).size());
    }

    @Test
    void shouldCreateNothing_whenAPullRequestIsClosed() {
        PlanOutcome outcome = planner.plan(pullRequest("pull_request-closed"));

        assertEquals(new PlanOutcome.NothingToBuild("pull request #42 was closed"), outcome);
        assertTrue(builds.find(BuildIds.of(DELIVERY)).isEmpty());
    }

    @Test
    void shouldQueueFreeStepsBlockGatesAndHoldDependents_whenAPipelineIsUploaded() {
        String buildId = plannedBuild();
        Pipeline pipeline = pipeline("""
                env: {APP: shop, LEVEL: pipeline}
                steps:
                  - key: test
                    command: ./mvnw verify
                    agents: {queue: linux}
                    timeout_in_minutes: 20
                    priority: 5
                    env: {LEVEL: step}
                  - key: approve
                    block: Ship it?
                  - key: deploy
                    command: ./deploy.sh
                    depends_on: [test, approve]
                    deploy: {environment: production}
                """);

        PlanOutcome outcome = planner.plan(upload(buildId, pipeline));

        Job test = jobs.find(JobIds.of(buildId, "test", 1)).orElseThrow();
        Job approve = jobs.find(JobIds.of(buildId, "approve", 1)).orElseThrow();
        Job deploy = jobs.find(JobIds.of(buildId, "deploy", 1)).orElseThrow();
        assertEquals(JobState.QUEUED, test.state());
        assertEquals(NOW, test.queuedAt());
        assertEquals(1, test.version());
        assertEquals("linux", test.queue());
        assertEquals(5, test.priority());
        assertEquals(20, test.timeoutInMinutes());
        assertEquals("./mvnw verify", test.command());
        assertEquals(Map.of("APP", "shop", "LEVEL", "step"), test.env());
        assertEquals(JobState.BLOCKED, approve.state());
        assertEquals(JobKind.BLOCK, approve.kind());
        assertEquals(JobState.PENDING, deploy.state());
        assertEquals(JobKind.DEPLOY, deploy.kind());
        assertEquals(List.of("test", "approve"), deploy.dependsOn());
        assertEquals(List.of(test.id(), approve.id(), deploy.id()),
                ((PlanOutcome.Planned) outcome).createdJobIds());
        assertEquals(3, builds.find(buildId).orElseThrow().pipelineSteps());
    }

    @Test
    void shouldCreateNoDuplicates_whenTheUploadIsDeliveredAgain() {
        String buildId = plannedBuild();
        Pipeline pipeline = pipeline("steps: [{key: a, command: 'true'}, {key: b, command: 'true', depends_on: a}]");
        planner.plan(upload(buildId, pipeline));
        long buildVersion = builds.find(buildId).orElseThrow().version();

        PlanOutcome again = planner.plan(upload(buildId, pipeline));

        assertEquals(List.of(), ((PlanOutcome.Planned) again).createdJobIds());
        assertEquals(3, jobs.jobsOfBuild(buildId).size());
        assertEquals(buildVersion, builds.find(buildId).orElseThrow().version());
    }

    @Test
    void shouldRefuseAndWriteNothing_whenAStepTakesTheBootstrapKey() {
        String buildId = plannedBuild();
        Pipeline pipeline = pipeline("steps: [{key: bootstrap, command: 'true'}]");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> planner.plan(upload(buildId, pipeline)));

        assertTrue(error.getMessage().contains("may not use the key \"bootstrap\""), error.getMessage());
        assertNull(builds.find(buildId).orElseThrow().pipelineSteps());
    }

    @Test
    void shouldFailForARetry_whenTheBuildDoesNotExist() {
        Pipeline pipeline = pipeline("steps: [{key: a, command: 'true'}]");

        assertThrows(IllegalStateException.class, () -> planner.plan(upload("no-such-build", pipeline)));
        assertEquals(List.of(), jobs.jobsOfBuild("no-such-build"));
    }

    private static UploadedPipeline upload(String buildId, Pipeline pipeline) {
        return new UploadedPipeline(buildId, JobIds.of(buildId, "bootstrap", 1), "a-7f3c9d",
                JobIds.of(buildId, "bootstrap", 1), NOW, pipeline);
    }
}
