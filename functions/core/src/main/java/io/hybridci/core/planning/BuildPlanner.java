package io.hybridci.core.planning;

import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildIds;
import io.hybridci.core.build.BuildSource;
import io.hybridci.core.build.ChangedPaths;
import io.hybridci.core.github.GithubPullRequest;
import io.hybridci.core.github.GithubPush;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobTransitions;
import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.pipeline.BlockStep;
import io.hybridci.core.pipeline.CommandStep;
import io.hybridci.core.pipeline.ConcurrencyLimit;
import io.hybridci.core.pipeline.DeployStep;
import io.hybridci.core.pipeline.Pipeline;
import io.hybridci.core.pipeline.PipelineParser;
import io.hybridci.core.pipeline.Step;
import io.hybridci.core.policy.BuildFacts;
import io.hybridci.core.policy.CancelSuperseded;
import io.hybridci.core.policy.Condition;
import io.hybridci.core.policy.SkipCi;
import io.hybridci.core.port.BuildRepository;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.WriteResult;
import io.hybridci.core.statemachine.Actors;
import io.hybridci.core.userapi.BootstrapBuilds;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The build-planner use case (docs/functions.md): a push or pull request becomes a build and its
 * bootstrap job; an uploaded pipeline becomes the build's jobs.
 *
 * <p>Idempotent without a dedup table: build ids derive from the GitHub delivery and job ids from
 * (build, step key, attempt), and every create is a conditional put, so a re-delivered event finds
 * its items already there ({@link WriteResult.Conflict}) and counts that as done. Every create is
 * attempted even when an earlier one conflicted, so a delivery that crashed half-way is completed
 * by its retry.
 */
public final class BuildPlanner {

    /** The pull request actions that build; the others (closed, labeled, edited, …) change no code. */
    public static final Set<String> BUILDING_PR_ACTIONS = Set.of("opened", "synchronize", "reopened");

    private static final String ACTOR = Actors.system("build-planner");
    /** The reason a step whose {@code if} is false is SKIPPED with. */
    public static final String CONDITION_FALSE = "condition_false";
    private static final String NO_COMMIT = "0000000000000000000000000000000000000000";
    /** Setting pipelineSteps races only with the state-reactor's rollup writes; a few re-reads settle it. */
    private static final int MAX_WRITE_ATTEMPTS = 5;
    /** A block step never runs on an agent and is never retried; a deploy is retried only by a person. */
    private static final RetryPolicy NO_RETRY = new RetryPolicy(List.of(), false);
    private static final RetryPolicy MANUAL_RETRY_ONLY = new RetryPolicy(List.of(), true);

    private final BuildRepository builds;
    private final JobRepository jobs;
    private final Clock clock;
    private final CancelSuperseded cancelSuperseded;
    private final SupersededBuilds superseded;

    /** A planner that never cancels superseded builds. */
    public BuildPlanner(BuildRepository builds, JobRepository jobs, Clock clock) {
        this(builds, jobs, clock, CancelSuperseded.OFF);
    }

    /** A planner whose new builds of a branch matching {@code cancelSuperseded} stop the older ones. */
    public BuildPlanner(BuildRepository builds, JobRepository jobs, Clock clock, CancelSuperseded cancelSuperseded) {
        this.builds = Objects.requireNonNull(builds, "builds");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cancelSuperseded = Objects.requireNonNull(cancelSuperseded, "cancelSuperseded");
        this.superseded = new SupersededBuilds(builds, jobs);
    }

    /** A push to a branch or tag → a CREATED build of its new head and a QUEUED bootstrap job. */
    public PlanOutcome plan(GithubPush push) {
        // The bus rule already drops deletions; checked again because a rule is configuration, not a guarantee.
        if (push.deleted() || push.after().equals(NO_COMMIT)) {
            return new PlanOutcome.NothingToBuild("push " + push.delivery() + " deleted " + push.ref());
        }
        if (push.headCommit() != null && SkipCi.requested(push.headCommit().message())) {
            return new PlanOutcome.NothingToBuild("push " + push.delivery() + ": the head commit asks for [skip ci]");
        }
        if (push.branch() == null && push.tag() == null) {
            return new PlanOutcome.NothingToBuild("push " + push.delivery() + " is to " + push.ref()
                    + ", neither a branch nor a tag");
        }
        Instant now = clock.instant();
        String actor = Actors.github(push.sender());
        Build build = Build.created(BuildIds.of(push.delivery()), push.repository().fullName(),
                push.repository().cloneUrl(), push.branch(), push.tag(), push.after(),
                push.headCommit() == null ? "" : push.headCommit().message(),
                push.headCommit() == null ? null : push.headCommit().authorName(),
                push.pusher(), BuildSource.PUSH, null, now, actor).withChangedPaths(changedPathsOf(push));
        PlanOutcome outcome = createWithBootstrap(build, now, actor);
        cancelSupersededBy(build, push.repository().defaultBranch(), now);
        return outcome;
    }

    /**
     * A pull request opened, synchronized or reopened → a CREATED build of its head and a bootstrap job;
     * from a fork, the bootstrap job waits behind a maintainer's approval ({@link ForkApproval}).
     */
    public PlanOutcome plan(GithubPullRequest event) {
        if (!BUILDING_PR_ACTIONS.contains(event.action())) {
            return new PlanOutcome.NothingToBuild("pull request #" + event.number() + " was " + event.action());
        }
        GithubPullRequest.PullRequest pr = event.pullRequest();
        if (pr.headCloneUrl() == null) {
            return new PlanOutcome.NothingToBuild("pull request #" + event.number()
                    + " comes from a deleted repository: its head cannot be cloned");
        }
        Instant now = clock.instant();
        String actor = Actors.github(event.sender());
        // Cloned from the head repository: for a fork that is the fork, the only place its commits are.
        Build build = Build.created(BuildIds.of(event.delivery()), event.repository().fullName(), pr.headCloneUrl(),
                pr.headRef(), null, pr.headSha(), pr.title(), event.sender(), event.sender(),
                BuildSource.PULL_REQUEST, event.number(), now, actor);
        PlanOutcome outcome = pr.fork()
                ? createWithForkGate(build, pr.headRepoFullName(), now, actor)
                : createWithBootstrap(build, now, actor);
        cancelSupersededBy(build, event.repository().defaultBranch(), now);
        return outcome;
    }

    /**
     * An uploaded pipeline → one job per step: no {@code depends_on} → QUEUED (a block step BLOCKED),
     * otherwise PENDING until the state-reactor sees its dependencies finish.
     *
     * @throws IllegalStateException when the build does not exist, or stays contended: the event is retried
     * @throws IllegalArgumentException when a step takes the bootstrap job's key: that step could never run
     */
    public PlanOutcome plan(UploadedPipeline upload) {
        Pipeline pipeline = upload.pipeline();
        BootstrapBuilds.reservedKeyIn(pipeline).ifPresent(reserved -> {
            throw new IllegalArgumentException("build " + upload.buildId() + ": a pipeline step may not use the key \""
                    + reserved + "\", a control-plane job has it");
        });
        Instant now = clock.instant();
        Build build = recordPipelineSteps(upload.buildId(), pipeline.steps().size(), now);
        BuildFacts facts = factsOf(build);
        List<String> created = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        for (Step step : pipeline.steps()) {
            boolean runs = step.condition().map(condition -> Condition.parse(condition).evaluate(facts)).orElse(true);
            Job job = jobFor(upload.buildId(), step, pipeline.env(), now, runs);
            (jobs.create(job).written() ? created : existing).add(job.id());
        }
        return new PlanOutcome.Planned(upload.buildId(), created, existing);
    }

    /**
     * After the new build exists (so a failure here retries the event without losing the build): stops the
     * branch's older builds when the policy opts the branch in. Looked up by the stored build, so a re-delivered
     * event cancels on behalf of the first one's build, never of a copy.
     */
    private void cancelSupersededBy(Build build, String defaultBranch, Instant now) {
        if (cancelSuperseded.appliesTo(build.branch(), defaultBranch)) {
            Build stored = builds.find(build.id()).orElse(build);
            superseded.cancelOlderThan(stored, now, ACTOR);
        }
    }

    private PlanOutcome createWithBootstrap(Build build, Instant now, String actor) {
        // Build first: a job never exists without its build (the api reads the build of every job it serves).
        builds.create(build);
        Job bootstrap = BootstrapBuilds.bootstrapJob(build, now, actor);
        boolean jobCreated = jobs.create(bootstrap).written();
        return new PlanOutcome.Planned(build.id(), jobCreated ? List.of(bootstrap.id()) : List.of(),
                jobCreated ? List.of() : List.of(bootstrap.id()));
    }

    /**
     * A fork's build waits for a maintainer ({@link ForkApproval}): the gate first, so the bootstrap job
     * never exists without it, then the bootstrap job PENDING on the gate.
     */
    private PlanOutcome createWithForkGate(Build build, String headRepoFullName, Instant now, String actor) {
        builds.create(build);
        List<String> created = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        for (Job job : List.of(ForkApproval.gateJob(build, headRepoFullName, now, actor),
                BootstrapBuilds.bootstrapJobAfter(build, BootstrapBuilds.FORK_APPROVAL_KEY, now, actor))) {
            (jobs.create(job).written() ? created : existing).add(job.id());
        }
        return new PlanOutcome.Planned(build.id(), created, existing);
    }

    /**
     * Sets the build's {@code pipelineSteps} unless set, before any job exists, so the rollup never calls
     * the build finished on the bootstrap job alone.
     */
    private Build recordPipelineSteps(String buildId, int steps, Instant now) {
        for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
            Build build = builds.find(buildId)
                    .orElseThrow(() -> new IllegalStateException("Pipeline Uploaded for unknown build " + buildId));
            if (build.pipelineSteps() != null) {
                return build;
            }
            if (builds.update(build.withPipelineSteps(steps, now, ACTOR), build.version()).written()) {
                return build;
            }
        }
        throw new IllegalStateException("build " + buildId + " kept changing while its pipeline steps were recorded");
    }

    private static Job jobFor(String buildId, Step step, Map<String, String> pipelineEnv, Instant now, boolean runs) {
        Job planned = plannedWithoutStep(buildId, step, pipelineEnv, now).toBuilder().step(step).build();
        if (!runs) {
            // Skipped at planning, so the build shows the step and why it did not run; its dependents are
            // skipped by the state-reactor like those of any dependency that did not pass.
            return JobTransitions.apply(planned, new JobEvent.Skip(CONDITION_FALSE, now, ACTOR))
                    .orElseThrow().toBuilder().version(1).build();
        }
        if (!planned.dependsOn().isEmpty() || ConcurrencyLimit.of(step).isPresent()) {
            // A job of a concurrency group stays PENDING even without dependencies: only the state-reactor
            // takes slots (docs/deployments.md), and it queues the job from its creation record.
            return planned;
        }
        JobEvent start = planned.kind() == JobKind.BLOCK ? new JobEvent.Block(now, ACTOR) : new JobEvent.Queue(now, ACTOR);
        // The first write of an item is version 1, whatever happened to it before it was stored.
        return JobTransitions.apply(planned, start).orElseThrow().toBuilder().version(1).build();
    }

    /** The job of {@code step}; {@link #jobFor} adds the step itself (block fields, deploy settings ride on it). */
    private static Job plannedWithoutStep(String buildId, Step step, Map<String, String> pipelineEnv, Instant now) {
        return switch (step) {
            case CommandStep command -> Job.planned(buildId, command.key(), command.label(), JobKind.COMMAND,
                    command.queue(), command.priority(), command.dependsOn(), command.command(),
                    merged(pipelineEnv, command.env()), timeout(command.timeoutInMinutes()), command.retry(), now,
                    ACTOR);
            case DeployStep deploy -> Job.planned(buildId, deploy.key(), deploy.label(), JobKind.DEPLOY,
                    deploy.queue(), 0, deploy.dependsOn(), deploy.command(), merged(pipelineEnv, deploy.env()),
                    timeout(deploy.timeoutInMinutes()), MANUAL_RETRY_ONLY, now, ACTOR);
            case BlockStep block -> Job.planned(buildId, block.key(), block.label(), JobKind.BLOCK,
                    PipelineParser.DEFAULT_QUEUE, 0, block.dependsOn(), null, Map.of(), null, NO_RETRY, now, ACTOR);
        };
    }

    /** What a step's {@code if} sees; unknown changed paths make {@code changed(...)} true. */
    private static BuildFacts factsOf(Build build) {
        return new BuildFacts(build.branch(), build.tag(), build.source().wireName(), build.changedPaths().paths());
    }

    /**
     * The paths a push changed, when its commits tell them completely: a push to an existing branch, not forced,
     * whose list the normalizer did not cut. A new branch or tag lists only commits new to the repository (none
     * when it points at an existing commit), and a forced push drops commits whose files changed too, so for
     * them the list says nothing about what differs from before: UNKNOWN, and {@code changed(...)} is true.
     */
    static ChangedPaths changedPathsOf(GithubPush push) {
        if (push.branch() == null || push.created() || push.forced() || push.changedPathsTruncated()) {
            return ChangedPaths.UNKNOWN;
        }
        return ChangedPaths.known(push.changedPaths());
    }

    /** The pipeline's env with the step's on top: the step's value wins. */
    private static Map<String, String> merged(Map<String, String> pipelineEnv, Map<String, String> stepEnv) {
        Map<String, String> env = new LinkedHashMap<>(pipelineEnv);
        env.putAll(stepEnv);
        return env;
    }

    private static Integer timeout(OptionalInt minutes) {
        return minutes.isPresent() ? minutes.getAsInt() : null;
    }
}
