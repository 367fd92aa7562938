package io.hybridci.core.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.build.BuildIds;
import io.hybridci.core.github.GithubPayloads;
import io.hybridci.core.github.GithubPush;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobIds;
import io.hybridci.core.job.JobState;
import io.hybridci.core.pipeline.ParseResult;
import io.hybridci.core.pipeline.Pipeline;
import io.hybridci.core.pipeline.PipelineParser;
import io.hybridci.core.port.inmemory.InMemoryBuildRepository;
import io.hybridci.core.port.inmemory.InMemoryJobRepository;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The build policies the planner applies (issue 10): {@code [skip ci]} and step conditions. */
class PlanningPoliciesTest {

    private static final String DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:01Z");

    private final InMemoryBuildRepository builds = new InMemoryBuildRepository();
    private final InMemoryJobRepository jobs = new InMemoryJobRepository();
    private final BuildPlanner planner = new BuildPlanner(builds, jobs, Clock.fixed(NOW, ZoneOffset.UTC));

    @ParameterizedTest
    @ValueSource(strings = {"Fix typo [skip ci]", "[CI SKIP] docs only", "Docs\n\nBody text [Skip CI] here"})
    void shouldCreateNoBuild_whenHeadCommitAsksToSkipCi(String message) {
        PlanOutcome outcome = planner.plan(withMessage(push("push"), message));

        assertInstanceOf(PlanOutcome.NothingToBuild.class, outcome);
        assertTrue(builds.find(BuildIds.of(DELIVERY)).isEmpty());
    }

    @Test
    void shouldBuild_whenMessageOnlyMentionsSkippingWithoutTheMarker() {
        PlanOutcome outcome = planner.plan(withMessage(push("push"), "skip ci checks are flaky, fix them"));

        assertInstanceOf(PlanOutcome.Planned.class, outcome);
    }

    @Test
    void shouldSkipStepsWhoseIfIsFalseAndPlanTheOthers_whenPipelineIsUploaded() {
        planner.plan(push("push"));
        String buildId = BuildIds.of(DELIVERY);
        String branch = builds.find(buildId).orElseThrow().branch();
        Pipeline pipeline = pipeline("""
                steps:
                  - key: test
                    command: make test
                  - key: on-this-branch
                    command: make a
                    if: build.branch == "%s" && build.event == "push"
                  - key: release
                    command: make release
                    if: build.tag =~ "v*"
                  - key: after-release
                    command: make announce
                    depends_on: release
                """.formatted(branch));

        planner.plan(new UploadedPipeline(buildId, JobIds.of(buildId, "bootstrap", 1), "a-7f3c9d",
                JobIds.of(buildId, "bootstrap", 1), NOW, pipeline));

        Map<String, Job> byKey = jobs.jobsOfBuild(buildId).stream().collect(Collectors.toMap(Job::key, job -> job));
        assertEquals(JobState.QUEUED, byKey.get("test").state());
        assertEquals(JobState.QUEUED, byKey.get("on-this-branch").state());
        assertEquals(JobState.SKIPPED, byKey.get("release").state());
        assertEquals(BuildPlanner.CONDITION_FALSE, byKey.get("release").reason());
        assertEquals(1, byKey.get("release").version());
        assertEquals(JobState.PENDING, byKey.get("after-release").state(), "the state-reactor skips dependents");
    }

    @Test
    void shouldReportTheColumn_whenAnIfIsNotAValidCondition() {
        ParseResult result = PipelineParser.parse("steps: [{key: a, command: 'true', if: 'build.branch = \"main\"'}]");

        ParseResult.Invalid invalid = assertInstanceOf(ParseResult.Invalid.class, result);
        assertTrue(invalid.toString().contains("not a valid condition: column 14"), invalid.toString());
    }

    private static GithubPush push(String fixture) {
        return (GithubPush) GithubPayloads.normalized("push", DELIVERY, GithubPayloads.load(fixture));
    }

    private static GithubPush withMessage(GithubPush push, String message) {
        GithubPush.HeadCommit head = push.headCommit();
        return new GithubPush(push.delivery(), push.repository(), push.ref(), push.branch(), push.tag(), push.before(),
                push.after(), push.deleted(), push.created(), push.forced(), push.pusher(), push.sender(),
                new GithubPush.HeadCommit(head.id(), message, head.timestamp(), head.authorName(), head.authorEmail()),
                push.changedPaths(), push.changedPathsTruncated());
    }

    private static Pipeline pipeline(String yaml) {
        return ((ParseResult.Parsed) PipelineParser.parse(yaml)).pipeline();
    }
}
