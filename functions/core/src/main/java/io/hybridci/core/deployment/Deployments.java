package io.hybridci.core.deployment;

import io.hybridci.core.approval.ApprovalResult;
import io.hybridci.core.build.Build;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobIds;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobReason;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.JobTransitions;
import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.pipeline.ConcurrencyLimit;
import io.hybridci.core.pipeline.DeployStep;
import io.hybridci.core.port.DeploymentStore;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.WriteResult;
import io.hybridci.core.statemachine.RejectionReason;
import io.hybridci.core.statemachine.Transition;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The use cases that drive environments and deployments (docs/deployments.md). Every change is one conditional
 * write of one item (the deployment, the environment or the job); a lost race re-reads and re-decides, and every
 * step is idempotent, because each caller (state-reactor, job-updater, api) may run it again on a re-delivery.
 *
 * <p>A deployment's id is its deploy job's id: one deployment per deploy job attempt, found without an index.
 */
public final class Deployments {

    /** How often a lost conditional write is re-read and re-decided before giving up. */
    static final int MAX_ATTEMPTS = 8;

    /** The job env that tells the deploy command where it deploys (the agent exports the job's env). */
    public static final String ENV_ENVIRONMENT = "HYBRIDCI_DEPLOY_ENVIRONMENT";
    public static final String ENV_COLOR = "HYBRIDCI_DEPLOY_COLOR";
    public static final String ENV_VERSION = "HYBRIDCI_DEPLOY_VERSION";
    public static final String ENV_STRATEGY = "HYBRIDCI_DEPLOY_STRATEGY";
    public static final String ENV_DEPLOYMENT_ID = "HYBRIDCI_DEPLOYMENT_ID";

    private final DeploymentStore store;
    private final JobRepository jobs;
    private final Clock clock;

    public Deployments(DeploymentStore store, JobRepository jobs, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public DeploymentStore store() {
        return store;
    }

    // ------------------------------------------------------------------ state-reactor: a deploy job is ready

    /** What the state-reactor does with a ready deploy job, before it takes a slot of the environment's group. */
    public sealed interface Gate {
        /** Go on: take the slot and queue (its deployment exists, approved or ungated). */
        record Proceed(Deployment deployment) implements Gate {}

        /** The environment requires an approval not given yet: the job goes BLOCKED. */
        record AwaitApproval(Deployment deployment) implements Gate {}

        /** The environment's protection refuses this build: the job fails with {@code reason}. */
        record Refuse(String reason) implements Gate {}

        /** Not a deploy job planned from a deploy step (an item written before steps were stored): run it as is. */
        record Untracked() implements Gate {}
    }

    /**
     * Creates the environment (unprotected, on first deploy) and the deployment of {@code job} if absent, and
     * decides whether the job may go on.
     */
    public Gate gate(Job job, Build build, String actor) {
        if (job.kind() != JobKind.DEPLOY || !(job.step() instanceof DeployStep step)) {
            return new Gate.Untracked();
        }
        Optional<Deployment> existing = store.findDeployment(job.id());
        if (existing.isPresent()) {
            return decide(existing.get());
        }
        Instant at = clock.instant();
        Environment environment = ensureEnvironment(step.deploy().environment(), at, actor);
        Optional<String> refusal = environment.protection().refusal(environment.name(),
                build == null ? null : build.branch());
        if (refusal.isPresent()) {
            return new Gate.Refuse(refusal.get());
        }
        String commit = build == null ? "unknown" : build.commit();
        Deployment requested = Deployment.requested(job.id(), environment.name(), commit, environment.idleColor(),
                job.buildId(), job.id(), environment.protection().requireApproval(), at, actor);
        return switch (store.createDeployment(requested)) {
            case WriteResult.Written<Deployment>(Deployment created) -> decide(created);
            case WriteResult.Conflict<Deployment>(Optional<Deployment> stored) -> decide(stored.orElse(requested));
        };
    }

    private static Gate decide(Deployment deployment) {
        if (deployment.state() == DeploymentState.PENDING_APPROVAL && deployment.approvalRequired()
                && deployment.approvedBy() == null) {
            return new Gate.AwaitApproval(deployment);
        }
        if (deployment.state() == DeploymentState.FAILED && deployment.deployStartedAt() == null) {
            return new Gate.Refuse(deployment.reason() == null ? JobReason.REJECTED : deployment.reason());
        }
        return new Gate.Proceed(deployment);
    }

    /** The environment {@code name}, created unprotected if it does not exist yet. */
    public Environment ensureEnvironment(String name, Instant at, String actor) {
        Optional<Environment> found = store.findEnvironment(name);
        if (found.isPresent()) {
            return found.get();
        }
        return switch (store.createEnvironment(Environment.created(name, Environment.Protection.NONE, at, actor))) {
            case WriteResult.Written<Environment>(Environment created) -> created;
            case WriteResult.Conflict<Environment>(Optional<Environment> stored) ->
                    stored.orElseThrow(() -> new IllegalStateException("environment " + name + " vanished"));
        };
    }

    // ------------------------------------------------------------------ state-reactor: the job holds the slot

    /**
     * The job holds its environment's slot and is about to be queued: its deployment goes DEPLOYING to the colour
     * chosen now (the idle one for blue-green; a rollback keeps the colour it puts back), and the variables the
     * agent exports come back to be merged into the job's env in the same write as {@code Queue}. Only now is the
     * colour safe to choose: no other deploy of the environment can run while the job holds the slot.
     */
    public Map<String, String> start(Job job, String actor) {
        if (!(job.step() instanceof DeployStep step)) {
            return Map.of();
        }
        Optional<Deployment> found = store.findDeployment(job.id());
        for (int attempt = 1; attempt <= MAX_ATTEMPTS && found.isPresent(); attempt++) {
            Deployment deployment = found.get();
            Environment environment = ensureEnvironment(deployment.environment(), clock.instant(), actor);
            Color color = deployment.isRollback() ? deployment.color()
                    : step.deploy().strategy() == DeployStep.Strategy.BLUE_GREEN ? environment.idleColor()
                    : environment.liveColor() == null ? Color.BLUE : environment.liveColor();
            String replaces = deployment.isRollback() ? deployment.replaces() : environment.liveDeploymentId();
            Transition<Deployment> started = DeploymentTransitions.apply(deployment,
                    new DeploymentEvent.StartDeploy(color, replaces, clock.instant(), actor));
            if (!(started instanceof Transition.Moved<Deployment>(Deployment next))) {
                return variables(deployment, step);
            }
            switch (store.updateDeployment(next, deployment.version())) {
                case WriteResult.Written<Deployment>(Deployment written) -> {
                    return variables(written, step);
                }
                case WriteResult.Conflict<Deployment>(Optional<Deployment> stored) -> found = stored;
            }
        }
        return found.map(deployment -> variables(deployment, step)).orElse(Map.of());
    }

    /** The {@code HYBRIDCI_DEPLOY_*} variables of {@code deployment}. */
    public static Map<String, String> variables(Deployment deployment, DeployStep step) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ENV_ENVIRONMENT, deployment.environment());
        env.put(ENV_COLOR, deployment.color().name().toLowerCase(Locale.ROOT));
        env.put(ENV_VERSION, deployment.commit());
        env.put(ENV_STRATEGY, step.deploy().strategy().yamlName());
        env.put(ENV_DEPLOYMENT_ID, deployment.id());
        return env;
    }

    // ------------------------------------------------------------------ job-updater: the agent's phases

    /** The phases an agent reports for a deploy job (agent message {@code deploy}). */
    public enum Phase {
        /** The command installed the version; the health check runs. */
        VERIFYING("verifying"),
        /** The health check passed and the switch command moved the traffic. */
        LIVE("live"),
        /** The health check failed; the rollback command ran; traffic never moved. */
        ROLLED_BACK("rolled_back"),
        /** The command or the switch failed. */
        FAILED("failed");

        private final String wireName;

        Phase(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Optional<Phase> ofWireName(String name) {
            for (Phase phase : values()) {
                if (phase.wireName.equals(name)) {
                    return Optional.of(phase);
                }
            }
            return Optional.empty();
        }
    }

    /** What applying one change to a deployment did. */
    public sealed interface Outcome {
        record Applied(Deployment deployment) implements Outcome {}

        record AlreadyApplied(Deployment deployment) implements Outcome {}

        record Refused(RejectionReason reason, String message) implements Outcome {}

        record NotFound() implements Outcome {}
    }

    /** Applies the phase an agent reported for the deploy job {@code jobId}. */
    public Outcome reportPhase(String jobId, Phase phase, String reason, Instant at, String actor) {
        String why = reason == null || reason.isBlank() ? phase.wireName() : reason;
        return apply(jobId, deployment -> switch (phase) {
            case VERIFYING -> new DeploymentEvent.StartVerify(at, actor);
            case LIVE -> new DeploymentEvent.HealthPassed(at, actor);
            case ROLLED_BACK -> new DeploymentEvent.HealthFailed(why, at, actor);
            case FAILED -> new DeploymentEvent.Fail(why, at, actor);
        });
    }

    // ------------------------------------------------------------------ state-reactor: the job or deployment moved

    /**
     * A deploy job ended: a deployment that did not go live (the agent failed before reporting, was lost, the job
     * was canceled or timed out) fails with the job's reason. A LIVE one is made the environment's live one now
     * ({@link #wentLive}, idempotent); an ended one is left alone.
     */
    public Outcome jobEnded(Job job, String actor) {
        Instant at = clock.instant();
        Optional<Deployment> live = store.findDeployment(job.id())
                .filter(deployment -> deployment.state() == DeploymentState.LIVE);
        if (live.isPresent()) {
            // The job's end releases the environment's slot right after this: the next deploy must see this one
            // as live, and the deployment's own stream record may not have been handled yet (records of different
            // items come in any order).
            wentLive(live.get(), actor);
            return new Outcome.AlreadyApplied(live.get());
        }
        String reason = job.reason() != null ? job.reason()
                : job.exitStatus() != null ? "exit_status_" + job.exitStatus() : job.state().name().toLowerCase(Locale.ROOT);
        return apply(job.id(), deployment -> switch (deployment.state()) {
            case PENDING_APPROVAL -> new DeploymentEvent.Reject(actor, reason, at);
            case DEPLOYING, VERIFYING -> new DeploymentEvent.Fail(reason, at, actor);
            case LIVE, FAILED, ROLLED_BACK, SUPERSEDED -> null;
        });
    }

    /**
     * A deployment went LIVE: the environment records it as live (and what a rollback would put back), then the
     * deployment it replaced becomes SUPERSEDED (or ROLLED_BACK, when this one is a rollback of it). Three single
     * item writes in an order that a re-delivery can finish: each is skipped when already done.
     */
    public void wentLive(Deployment live, String actor) {
        Instant at = clock.instant();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Environment environment = ensureEnvironment(live.environment(), at, actor);
            if (live.id().equals(environment.liveDeploymentId())) {
                break;
            }
            String previous = live.isRollback()
                    ? store.findDeployment(live.restores()).map(Deployment::replaces).orElse(null)
                    : live.replaces();
            if (store.updateEnvironment(environment.withLive(live, previous, at, actor), environment.version())
                    .written()) {
                break;
            }
            if (attempt == MAX_ATTEMPTS) {
                throw new IllegalStateException("environment " + live.environment() + " kept changing");
            }
        }
        if (live.replaces() != null && !live.replaces().equals(live.id())) {
            apply(live.replaces(), replaced -> replaced.state() != DeploymentState.LIVE ? null
                    : live.isRollback() ? new DeploymentEvent.RolledBack("rolled_back_by:" + live.id(), at, actor)
                    : new DeploymentEvent.Supersede(live.id(), at, actor));
        }
    }

    // ------------------------------------------------------------------ api: approve, reject

    /**
     * Approves the deploy job {@code jobId} (BLOCKED awaiting its environment's approval): the deployment records
     * the approver, the job goes back to PENDING and the state-reactor queues it once it holds the slot. Empty when
     * {@code jobId} is not a deploy job (the caller treats it as a block step).
     */
    public Optional<ApprovalResult> approve(String jobId, String actor, String role) {
        return decide(jobId, role, true, actor);
    }

    /** Rejects the deploy job {@code jobId}: deployment FAILED, job FAILED with reason {@code rejected}. */
    public Optional<ApprovalResult> reject(String jobId, String actor, String role) {
        return decide(jobId, role, false, actor);
    }

    private Optional<ApprovalResult> decide(String jobId, String role, boolean approve, String actor) {
        Optional<Job> found = jobs.find(jobId);
        if (found.isEmpty() || found.get().kind() != JobKind.DEPLOY) {
            return Optional.empty();
        }
        Optional<Deployment> deployment = store.findDeployment(jobId);
        if (deployment.isEmpty() || !deployment.get().approvalRequired()) {
            return Optional.of(new ApprovalResult.Conflict("job " + jobId + " is a deploy step that awaits no approval"));
        }
        Optional<Environment> environment = store.findEnvironment(deployment.get().environment());
        if (environment.isPresent() && !environment.get().protection().allowsApprovalBy(role)) {
            return Optional.of(new ApprovalResult.Forbidden("role " + role + " may not approve deploys to environment \""
                    + environment.get().name() + "\" (allowed: "
                    + String.join(", ", environment.get().protection().allowedRoles()) + ")"));
        }
        Instant at = clock.instant();
        Outcome decided = apply(jobId, current -> approve ? new DeploymentEvent.Approve(actor, at)
                : new DeploymentEvent.Reject(actor, JobReason.REJECTED, at));
        if (decided instanceof Outcome.Refused refused) {
            return Optional.of(new ApprovalResult.Conflict("deployment " + jobId + ": " + refused.message()));
        }
        JobEvent event = approve ? new JobEvent.Unblock(actor, at) : new JobEvent.Reject(actor, JobReason.REJECTED, at);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Job job = jobs.find(jobId).orElseThrow();
            Transition<Job> moved = JobTransitions.apply(job, event);
            if (!(moved instanceof Transition.Moved<Job>(Job next))) {
                // Already decided (a repeated call), or the job moved on (approved earlier and now queued).
                return Optional.of(job.state() == JobState.BLOCKED
                        ? new ApprovalResult.Conflict("job " + jobId + " is " + job.state())
                        : new ApprovalResult.Done(job));
            }
            if (jobs.update(next, job.version()) instanceof WriteResult.Written<Job>(Job written)) {
                return Optional.of(new ApprovalResult.Done(written));
            }
        }
        return Optional.of(new ApprovalResult.Conflict("job " + jobId + " kept changing; try again"));
    }

    // ------------------------------------------------------------------ api: environments

    /** What {@code PUT /api/v1/environments/{name}} did. */
    public record Saved(Environment environment, boolean created) {}

    /** Creates the environment with {@code protection}, or replaces the protection of an existing one. */
    public Saved putEnvironment(String name, Environment.Protection protection, String actor) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Instant at = clock.instant();
            Optional<Environment> found = store.findEnvironment(name);
            if (found.isEmpty()) {
                if (store.createEnvironment(Environment.created(name, protection, at, actor))
                        instanceof WriteResult.Written<Environment>(Environment created)) {
                    return new Saved(created, true);
                }
                continue;
            }
            Environment current = found.get();
            if (current.protection().equals(protection)) {
                return new Saved(current, false);
            }
            if (store.updateEnvironment(current.withProtection(protection, at, actor), current.version())
                    instanceof WriteResult.Written<Environment>(Environment written)) {
                return new Saved(written, false);
            }
        }
        throw new IllegalStateException("environment " + name + " kept changing");
    }

    /** What {@code POST /api/v1/environments/{name}/rollback} did. */
    public sealed interface RollbackResult {
        /** The rollback deployment (new, or the one an earlier identical call created) and its job. */
        record Started(Deployment deployment, Job job) implements RollbackResult {}

        record NotFound(String message) implements RollbackResult {}

        record Conflict(String message) implements RollbackResult {}
    }

    /**
     * Puts the previous live version of {@code name} back without rebuilding: a rollback deployment of the previous
     * deployment's commit and colour, run by a new deploy job in the live deployment's build whose command is the
     * previous deploy step's {@code switch} (with the step's env, and {@code HYBRIDCI_DEPLOY_COLOR} the old colour). The job takes the
     * environment's slot like any deploy; when it reports {@code live}, the environment's live colour and version
     * are the previous ones again and the rolled-back deployment is ROLLED_BACK. Deterministic ids (from the live
     * deployment) make a repeated call return the rollback already under way.
     */
    public RollbackResult rollback(String name, String actor) {
        Optional<Environment> environment = store.findEnvironment(name);
        if (environment.isEmpty()) {
            return new RollbackResult.NotFound("no environment " + name);
        }
        Environment env = environment.get();
        if (env.liveDeploymentId() == null) {
            return new RollbackResult.Conflict("nothing is live in environment " + name);
        }
        if (env.previousDeploymentId() == null) {
            return new RollbackResult.Conflict("environment " + name + " has no previous deployment to roll back to");
        }
        Optional<Deployment> live = store.findDeployment(env.liveDeploymentId());
        Optional<Deployment> previous = store.findDeployment(env.previousDeploymentId());
        if (live.isEmpty() || previous.isEmpty()) {
            return new RollbackResult.Conflict("the deployments of environment " + name + " are missing");
        }
        Optional<Job> liveJob = jobs.find(live.get().jobId());
        Optional<Job> previousJob = jobs.find(previous.get().jobId());
        Optional<DeployStep> previousStep = previousJob.map(Job::step)
                .filter(DeployStep.class::isInstance).map(DeployStep.class::cast);
        if (liveJob.isEmpty() || previousStep.isEmpty() || previousStep.get().deploy().switchCommand().isEmpty()) {
            return new RollbackResult.Conflict("deployment " + previous.get().id()
                    + " has no switch command to put its colour back with (only blue-green deploys with switch: roll back)");
        }
        String key = "rollback-" + live.get().id();
        String jobId = JobIds.of(live.get().buildId(), key, 1);
        Optional<Deployment> already = store.findDeployment(jobId);
        Instant at = clock.instant();
        Deployment rollback = already.orElseGet(() -> Deployment.rollback(jobId, live.get(), previous.get(), jobId, at,
                actor));
        if (already.isEmpty() && store.createDeployment(rollback) instanceof WriteResult.Conflict<Deployment>(
                Optional<Deployment> stored) && stored.isPresent()) {
            rollback = stored.get();
        }
        DeployStep original = previousStep.get();
        String switchCommand = original.deploy().switchCommand().orElseThrow();
        DeployStep step = new DeployStep(key, "Roll back " + name + " to " + shortCommit(previous.get().commit()),
                switchCommand,
                new DeployStep.Deployment(name, original.deploy().strategy(), Optional.empty(), Optional.empty(),
                        Optional.empty()),
                liveJob.get().queue(), List.of(), OptionalInt.empty(), original.env(),
                ConcurrencyLimit.of(liveJob.get().step()).orElse(
                        new ConcurrencyLimit(DeployStep.defaultConcurrencyGroup(name), 1)),
                Optional.empty());
        Job job = Job.planned(live.get().buildId(), key, step.label(), JobKind.DEPLOY, liveJob.get().queue(),
                liveJob.get().priority(), List.of(), switchCommand, original.env(), liveJob.get().timeoutInMinutes(),
                new RetryPolicy(List.of(), true), at, actor).toBuilder().step(step).build();
        Job stored = switch (jobs.create(job)) {
            case WriteResult.Written<Job>(Job created) -> created;
            case WriteResult.Conflict<Job>(Optional<Job> existing) -> existing.orElse(job);
        };
        return new RollbackResult.Started(rollback, stored);
    }

    private static String shortCommit(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }

    // ------------------------------------------------------------------ one conditional write

    /**
     * Applies the event {@code eventFor} decides (null: nothing to do) to deployment {@code id}, re-reading on a lost
     * race. ALREADY_APPLIED counts as done.
     */
    private Outcome apply(String id, Function<Deployment, DeploymentEvent> eventFor) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<Deployment> found = store.findDeployment(id);
            if (found.isEmpty()) {
                return new Outcome.NotFound();
            }
            Deployment current = found.get();
            DeploymentEvent event = eventFor.apply(current);
            if (event == null) {
                return new Outcome.AlreadyApplied(current);
            }
            switch (DeploymentTransitions.apply(current, event)) {
                case Transition.Rejected<Deployment>(RejectionReason reason, String message) -> {
                    return reason == RejectionReason.ALREADY_APPLIED ? new Outcome.AlreadyApplied(current)
                            : new Outcome.Refused(reason, message);
                }
                case Transition.Moved<Deployment>(Deployment next) -> {
                    if (store.updateDeployment(next, current.version()).written()) {
                        return new Outcome.Applied(next);
                    }
                }
            }
        }
        throw new IllegalStateException("deployment " + id + " kept changing; giving up after " + MAX_ATTEMPTS);
    }
}
