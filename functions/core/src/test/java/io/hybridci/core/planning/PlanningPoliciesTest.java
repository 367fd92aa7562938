package io.hybridci.core.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.build.BuildIds;
import io.hybridci.core.build.ChangedPaths;
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
import java.util.List;
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
    void shouldRunChangedStepsOnlyForMatchingPaths_whenThePushListsItsChangedPaths() {
        Map<String, Job> byKey = planChangedSteps(withPaths(push("push"), List.of("src/widget.c", "README.md"), false, false));

        assertEquals(JobState.QUEUED, byKey.get("code").state());
        assertEquals(JobState.SKIPPED, byKey.get("docs").state());
        assertEquals(BuildPlanner.CONDITION_FALSE, byKey.get("docs").reason());
        assertEquals(JobState.QUEUED, byKey.get("not-docs").state());
        assertEquals(List.of("src/widget.c", "README.md"),
                builds.find(BuildIds.of(DELIVERY)).orElseThrow().changedPaths().paths().orElseThrow());
    }

    @Test
    void shouldSkipEveryChangedStep_whenThePushChangedNoFile() {
        Map<String, Job> byKey = planChangedSteps(withPaths(push("push"), List.of(), false, false));

        assertEquals(JobState.SKIPPED, byKey.get("code").state());
        assertEquals(JobState.SKIPPED, byKey.get("docs").state());
        assertEquals(JobState.QUEUED, byKey.get("not-docs").state());
    }

    @ParameterizedTest
    @ValueSource(strings = {"truncated", "created", "forced"})
    void shouldRunEveryChangedStep_whenThePushCannotTellWhatChanged(String why) {
        GithubPush push = withPaths(push("push"), List.of("src/widget.c"), why.equals("truncated"), false);
        if (!why.equals("truncated")) {
            push = new GithubPush(push.delivery(), push.repository(), push.ref(), push.branch(), push.tag(),
                    push.before(), push.after(), false, why.equals("created"), why.equals("forced"), push.pusher(),
                    push.sender(), push.headCommit(), push.changedPaths(), false);
        }
        Map<String, Job> byKey = planChangedSteps(push);

        assertEquals(JobState.QUEUED, byKey.get("code").state(), why);
        assertEquals(JobState.QUEUED, byKey.get("docs").state(), why + ": unknown paths make changed() true");
        assertTrue(builds.find(BuildIds.of(DELIVERY)).orElseThrow().changedPaths().paths().isEmpty());
    }

    @Test
    void shouldKeepNoChangedPaths_whenThePushListsMoreThanABuildKeeps() {
        List<String> many = java.util.stream.IntStream.range(0, ChangedPaths.MAX_PATHS + 1).mapToObj(i -> "src/f" + i).toList();

        assertEquals(ChangedPaths.UNKNOWN, BuildPlanner.changedPathsOf(withPaths(push("push"), many, false, false)));
        assertEquals(ChangedPaths.UNKNOWN, ChangedPaths.known(List.of("x".repeat(ChangedPaths.MAX_TOTAL_CHARS + 1))));
        assertTrue(ChangedPaths.known(List.of("x".repeat(ChangedPaths.MAX_TOTAL_CHARS))).isKnown());
    }

    private Map<String, Job> planChangedSteps(GithubPush push) {
        planner.plan(push);
        String buildId = BuildIds.of(DELIVERY);
        planner.plan(new UploadedPipeline(buildId, JobIds.of(buildId, "bootstrap", 1), "a-7f3c9d",
                JobIds.of(buildId, "bootstrap", 1), NOW, pipeline("""
                steps:
                  - key: code
                    command: make
                    if: changed("src/**", "Makefile")
                  - key: docs
                    command: make docs
                    if: changed("docs/**")
                  - key: not-docs
                    command: make lint
                    if: '!changed("docs/**")'
                """)));
        return jobs.jobsOfBuild(buildId).stream().collect(Collectors.toMap(Job::key, job -> job));
    }

    private static GithubPush withPaths(GithubPush push, List<String> paths, boolean truncated, boolean forced) {
        return new GithubPush(push.delivery(), push.repository(), push.ref(), push.branch(), push.tag(), push.before(),
                push.after(), push.deleted(), false, forced, push.pusher(), push.sender(), push.headCommit(), paths,
                truncated);
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
