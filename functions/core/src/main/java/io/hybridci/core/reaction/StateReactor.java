package io.hybridci.core.reaction;

import io.hybridci.core.approval.BlockFields;
import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildRollup;
import io.hybridci.core.build.BuildState;
import io.hybridci.core.build.Dependencies;
import io.hybridci.core.build.DependencyDecision;
import io.hybridci.core.deployment.Deployment;
import io.hybridci.core.deployment.DeploymentState;
import io.hybridci.core.deployment.Deployments;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.JobTransitions;
import io.hybridci.core.job.PriorityBand;
import io.hybridci.core.job.Retries;
import io.hybridci.core.job.Retry;
import io.hybridci.core.pipeline.ConcurrencyLimit;
import io.hybridci.core.port.BuildRepository;
import io.hybridci.core.port.ConcurrencyGroup;
import io.hybridci.core.port.ConcurrencySlots;
import io.hybridci.core.port.DeploymentStore;
import io.hybridci.core.port.inmemory.InMemoryDeploymentStore;
import io.hybridci.core.port.EventPublisher;
import io.hybridci.core.port.EventPublisher.BusEvent;
import io.hybridci.core.port.JobDispatcher;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.WriteResult;
import io.hybridci.core.statemachine.RejectionReason;
import io.hybridci.core.statemachine.Transition;
import io.hybridci.core.userapi.BootstrapBuilds;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The state-reactor's use case (docs/functions.md): what follows from one job item changing in
 * the {@code state} table. For a change of job J:
 * <ol>
 *   <li>J is QUEUED without {@code dispatchedAt} → send a {@code job-dispatch} message to
 *       {@code jobs-<queue>}, then record {@code dispatchedAt} ({@code Dispatch}, conditional).</li>
 *   <li>J's state changed:
 *     <ol>
 *       <li>J entered a terminal state and belongs to a concurrency group → its slot is released and the
 *           group settled: holders that never got queued are queued, holders that ended are released, and
 *           the oldest waiters take the free slots (docs/deployments.md);</li>
 *       <li>J entered a terminal state → its automatic retry, if its policy asks
 *           ({@link Retries#automaticRetry}): the new attempt is put if absent, J gets
 *           {@code retriedBy} on its version, and the new attempt is dispatched. This comes
 *           <em>before</em> the dependents, so they wait for the new attempt instead of being skipped;</li>
 *       <li>the build's PENDING jobs (latest attempt per key) are re-evaluated
 *           ({@link Dependencies#evaluate}): ready → {@code Queue} (and dispatched) or {@code Block}
 *           for a block step; a job of a concurrency group is queued only once it holds a slot
 *           ({@link ConcurrencySlots#acquire}), otherwise it stays PENDING with reason
 *           {@code concurrency_group:<name>} ({@code WaitForSlot}) among the group's waiters, a failed dependency → {@code Skip}; repeated until nothing moves, so a
 *           chain of skips settles in one call instead of one stream hop per link;</li>
 *       <li>the build is rolled up ({@link BuildRollup}, held at RUNNING while fewer pipeline steps
 *           than its {@code pipelineSteps} have jobs) and written when its state changed;</li>
 *       <li>{@code Job State Changed} for J, and {@code Build State Changed} when this call changed
 *           the build, go on the bus in one PutEvents.</li>
 *     </ol></li>
 * </ol>
 *
 * <h2>Idempotency</h2>
 * The stream delivers each record at least once. Every decision is re-taken from what is stored
 * (the dispatch re-reads the job; the retry is deterministic and put-if-absent; dependents and the
 * build are moved by conditional writes whose {@code ALREADY_APPLIED} rejection means "done
 * before"), so a re-delivered record sends nothing twice and writes nothing twice. Concurrency slots are
 * idempotent too: holders are a set of job ids (asking again keeps the one slot), releasing a job that holds
 * nothing is a no-op, and settling a group re-derives from the stored jobs what is left to do. The job's own
 * event is derived from the record alone, so a re-delivery publishes the identical event again:
 * bus events are at-least-once anyway, and this is what makes a failed PutEvents safe to retry.
 *
 * <p>Known gap: when the build write succeeds and the PutEvents that follows fails, the retried
 * record finds the build already rolled up and does not publish {@code Build State Changed} again.
 * Publishing build events from the build item's own stream record would close it.
 *
 * <h2>Races</h2>
 * Records of different jobs are processed concurrently (one shard per item), so writes to the
 * shared build, and to jobs the api or job-updater also move, can lose their condition. A lost
 * race re-reads and re-decides, up to {@value #MAX_WRITE_ATTEMPTS} times, then fails the record
 * ({@link ContendedWriteException}) so the stream retries it. The build is read <em>before</em>
 * its jobs: a build written by another reactor after our job read is then caught by the build's
 * version condition instead of being overwritten with a state derived from older jobs.
 */
public final class StateReactor {

    /** The actor of every write the reactor makes: {@code system:state-reactor}. */
    public static final String ACTOR = Retries.AUTOMATIC_RETRY_ACTOR;

    /** How often a lost conditional write is re-read and re-tried before the record is failed. */
    public static final int MAX_WRITE_ATTEMPTS = 5;

    private static final System.Logger LOG = System.getLogger(StateReactor.class.getName());

    private final JobRepository jobs;
    private final BuildRepository builds;
    private final JobDispatcher dispatcher;
    private final EventPublisher events;
    private final ConcurrencySlots slots;
    private final Deployments deployments;
    private final Clock clock;

    /** Without a deployment store of its own (tests that deploy nothing): deployments are kept in memory. */
    public StateReactor(JobRepository jobs, BuildRepository builds, JobDispatcher dispatcher, EventPublisher events,
                        ConcurrencySlots slots, Clock clock) {
        this(jobs, builds, dispatcher, events, slots, new InMemoryDeploymentStore(), clock);
    }

    public StateReactor(JobRepository jobs, BuildRepository builds, JobDispatcher dispatcher, EventPublisher events,
                        ConcurrencySlots slots, DeploymentStore deploymentStore, Clock clock) {
        this.deployments = new Deployments(deploymentStore, jobs, clock);
        this.slots = Objects.requireNonNull(slots, "slots");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.builds = Objects.requireNonNull(builds, "builds");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Reacts to one job change.
     *
     * @throws ContendedWriteException when a write kept losing its race (retry the record later)
     * @throws RuntimeException from a port (SQS, DynamoDB, PutEvents): the record must be retried
     */
    public Reaction react(JobChange change) {
        Objects.requireNonNull(change, "change");
        Job after = change.after();
        if (after == null) {
            // Jobs are never deleted by the control plane; a removal (by hand) has nothing to follow.
            return Reaction.nothing();
        }
        Work work = new Work();
        if (after.state() == JobState.QUEUED && after.dispatchedAt() == null) {
            dispatchIfUndispatched(after.id(), work);
        }
        if (!change.changedState()) {
            return work.toReaction();
        }
        BuildView view = BuildView.load(after, jobs, builds);
        if (change.enteredTerminalState() && after.kind() == JobKind.DEPLOY) {
            // A deploy job that ended without its deployment going live: the deployment fails with the job's reason.
            deployments.jobEnded(after, ACTOR);
        }
        if (change.enteredTerminalState()) {
            // Before the retry: a new attempt of a grouped job queues behind the waiters, not ahead of them.
            releaseSlot(after, view, work);
        }
        if (change.enteredTerminalState()) {
            retryAutomatically(view.job(after.id()), view, work);
        }
        evaluateDependents(view, work);
        Optional<BuildChange> buildChange = rollUp(view, after.updatedAt(), change.eventId());
        buildChange.ifPresent(moved -> work.buildMovedTo = moved);

        List<BusEvent> toPublish = new ArrayList<>(2);
        toPublish.add(ReactionMessages.jobStateChanged(change.before() == null ? null : change.before().state(), after));
        buildChange.ifPresent(moved -> toPublish.add(ReactionMessages.buildStateChanged(moved.before(), moved.after())));
        events.publish(toPublish);
        work.published.addAll(toPublish);
        return work.toReaction();
    }

    // ------------------------------------------------------------------ dispatch

    private void dispatchIfUndispatched(String jobId, Work work) {
        // Re-read: the record may be old (a re-delivery, or the reaper or an earlier call already
        // dispatched it). This read is what keeps a re-delivered record from sending twice.
        jobs.find(jobId)
                .filter(job -> job.state() == JobState.QUEUED && job.dispatchedAt() == null)
                .ifPresent(job -> dispatch(job, work));
    }

    /**
     * Sends first, records second (docs/functions.md): a crash in between re-sends on retry, and
     * the agent's conditional {@code accept} answers the second copy 409. The other order could
     * record a dispatch that never happened, leaving the job waiting for the reaper.
     */
    private void dispatch(Job queued, Work work) {
        Instant at = clock.instant();
        dispatcher.dispatch(queued.queue(), PriorityBand.of(queued.priority()), ReactionMessages.jobDispatch(queued, at));
        work.dispatched.add(queued.id());
        Job current = queued;
        for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
            Transition<Job> recorded = JobTransitions.apply(current, new JobEvent.Dispatch(at, ACTOR));
            if (!(recorded instanceof Transition.Moved<Job>(Job next))) {
                logRejection(current, "Dispatch", recorded);
                return;
            }
            switch (jobs.update(next, current.version())) {
                case WriteResult.Written<Job> _ -> {
                    return;
                }
                case WriteResult.Conflict<Job>(Optional<Job> stored) -> {
                    // Lost the race: stop if someone else dispatched it or an agent already took it.
                    if (stored.isEmpty() || stored.get().state() != JobState.QUEUED
                            || stored.get().dispatchedAt() != null) {
                        return;
                    }
                    current = stored.get();
                }
            }
        }
        throw new ContendedWriteException("could not record the dispatch of job " + queued.id());
    }

    // ------------------------------------------------------------------ retries

    private void retryAutomatically(Job finished, BuildView view, Work work) {
        Job current = finished;
        for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
            Optional<Retry> decided = Retries.automaticRetry(current, view.attemptsOf(current.key()));
            if (decided.isEmpty()) {
                return;
            }
            Retry retry = decided.get();
            // The next attempt first: its id is deterministic, so a crash before the second write
            // re-decides the identical retry and this put is a no-op.
            switch (jobs.create(slotAware(retry.next()))) {
                case WriteResult.Written<Job>(Job created) -> {
                    work.createdAttempts.add(created.id());
                    view.put(created);
                    if (created.state() == JobState.QUEUED) {
                        dispatch(created, work);
                    }
                }
                case WriteResult.Conflict<Job>(Optional<Job> stored) -> {
                    stored.ifPresent(view::put);
                    dispatchIfUndispatched(retry.next().id(), work);
                }
            }
            switch (jobs.update(retry.previous(), current.version())) {
                case WriteResult.Written<Job>(Job linked) -> {
                    view.put(linked);
                    return;
                }
                case WriteResult.Conflict<Job>(Optional<Job> stored) -> {
                    if (stored.isEmpty()) {
                        return;
                    }
                    current = stored.get();
                    view.put(current);
                }
            }
        }
        throw new ContendedWriteException("could not link job " + finished.id() + " to its retry");
    }

    /**
     * The new attempt of a job of a concurrency group starts PENDING instead of QUEUED: it takes a slot like any
     * other job (the dependents pass below queues it, or lines it up behind the waiters).
     */
    private static Job slotAware(Job nextAttempt) {
        if (nextAttempt.state() != JobState.QUEUED || ConcurrencyLimit.of(nextAttempt.step()).isEmpty()) {
            return nextAttempt;
        }
        return nextAttempt.toBuilder().state(JobState.PENDING).queuedAt(null).dispatchedAt(null).build();
    }

    // ------------------------------------------------------------------ dependents

    private void evaluateDependents(BuildView view, Work work) {
        boolean moved = true;
        while (moved) {
            moved = false;
            Map<String, Job> latest = BuildRollup.latestByKey(view.jobs());
            List<Job> pending = latest.values().stream()
                    .filter(job -> job.state() == JobState.PENDING)
                    .sorted(Comparator.comparing(Job::key))
                    .toList();
            for (Job job : pending) {
                Optional<JobEvent> event = eventFor(job, Dependencies.evaluate(job, latest));
                if (event.isEmpty()) {
                    continue;
                }
                Optional<ConcurrencyLimit> limit = ConcurrencyLimit.of(job.step());
                if (event.get() instanceof JobEvent.Queue && limit.isPresent()) {
                    Optional<Job> decided = queueWithSlot(job, limit.get(), latest, view, work);
                    decided.ifPresent(view::put);
                    // Only a job that left PENDING changes what its dependents see; a waiting one does not.
                    moved |= decided.filter(next -> next.state() != JobState.PENDING).isPresent();
                    continue;
                }
                // A job queued after a block step carries the approver's field values (BlockFields).
                Optional<Job> written = applyConditionally(job, event.get(),
                        next -> next.state() == JobState.QUEUED ? BlockFields.inherit(next, latest) : next);
                if (written.isPresent()) {
                    Job next = written.get();
                    view.put(next);
                    work.movedDependents.put(next.id(), next.state());
                    if (next.state() == JobState.QUEUED) {
                        // Dispatch now rather than on the job's own stream record: one stream hop
                        // less between a dependency passing and its dependent running. That record
                        // re-reads the job, sees dispatchedAt and sends nothing.
                        dispatch(next, work);
                    }
                    moved = true;
                }
            }
        }
    }

    // ------------------------------------------------------------------ concurrency groups

    /** Frees the slot of a job that ended, then settles its group (see {@link #settle}). */
    private void releaseSlot(Job ended, BuildView view, Work work) {
        Optional<ConcurrencyLimit> limit = ConcurrencyLimit.of(ended.step());
        if (limit.isPresent()) {
            settle(slots.release(limit.get().group(), ended.id(), clock.instant()), view, work);
        }
    }

    /**
     * Makes the stored jobs agree with the group: a holder still PENDING (a crash between acquire and
     * {@code Queue}) is queued, a holder that ended (its own release lost) is released, and waiters are
     * tried oldest first until one must keep waiting. Derived from what is stored, so running it again on a
     * re-delivered record finds nothing left to do.
     */
    private void settle(ConcurrencyGroup group, BuildView view, Work work) {
        for (String holder : group.holders()) {
            Optional<Job> job = jobs.find(holder);
            if (job.isEmpty() || job.get().state().isTerminal()) {
                slots.release(group.name(), holder, clock.instant());
            } else if (job.get().state() == JobState.PENDING) {
                promote(job.get(), view, work);
            }
        }
        for (String waiter : group.waiters()) {
            Optional<Job> job = jobs.find(waiter);
            if (job.isEmpty() || job.get().state() != JobState.PENDING) {
                // Left the line without a slot (canceled while waiting): its place goes to the next one.
                slots.release(group.name(), waiter, clock.instant());
                continue;
            }
            Optional<Job> decided = promote(job.get(), view, work);
            if (decided.isEmpty() || decided.get().state() == JobState.PENDING) {
                return;
            }
        }
    }

    /** Queues a waiting job of any build if it now gets a slot; its build's jobs give its block fields. */
    private Optional<Job> promote(Job waiting, BuildView view, Work work) {
        Optional<ConcurrencyLimit> limit = ConcurrencyLimit.of(waiting.step());
        if (limit.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Job> latest = waiting.buildId().equals(view.buildId())
                ? BuildRollup.latestByKey(view.jobs())
                : BuildRollup.latestByKey(jobs.jobsOfBuild(waiting.buildId()));
        Optional<Job> decided = queueWithSlot(waiting, limit.get(), latest, view, work);
        decided.filter(next -> next.buildId().equals(view.buildId())).ifPresent(view::put);
        return decided;
    }

    /**
     * Queues a ready job of a concurrency group once it holds a slot, or records why it waits.
     *
     * @return the job as written (QUEUED, or PENDING with the group as reason); empty when nothing was written
     */
    private Optional<Job> queueWithSlot(Job ready, ConcurrencyLimit limit, Map<String, Job> latest, BuildView view,
                                        Work work) {
        if (ready.kind() == JobKind.DEPLOY) {
            // The environment's protection first: a refused or unapproved deploy never takes the environment's slot.
            Build build = ready.buildId().equals(view.buildId()) ? view.build() : builds.find(ready.buildId()).orElse(null);
            switch (deployments.gate(ready, build, ACTOR)) {
                case Deployments.Gate.Refuse refuse -> {
                    Optional<Job> refused = applyConditionally(ready,
                            new JobEvent.Refuse(refuse.reason(), clock.instant(), ACTOR), UnaryOperator.identity());
                    refused.ifPresent(job -> work.movedDependents.put(job.id(), job.state()));
                    return refused;
                }
                case Deployments.Gate.AwaitApproval _ -> {
                    Optional<Job> blocked = applyConditionally(ready, new JobEvent.Block(clock.instant(), ACTOR),
                            UnaryOperator.identity());
                    blocked.ifPresent(job -> work.movedDependents.put(job.id(), job.state()));
                    return blocked;
                }
                case Deployments.Gate.Proceed _, Deployments.Gate.Untracked _ -> {
                }
            }
        }
        ConcurrencyGroup group = slots.acquire(limit.group(), limit.limit(), ready.id(), clock.instant());
        if (!group.holds(ready.id())) {
            Optional<Job> waiting = applyConditionally(ready, new JobEvent.WaitForSlot(limit.group(), clock.instant(), ACTOR),
                    UnaryOperator.identity());
            if (group.holders().size() < limit.limit()) {
                // Free slots, but older waiters come first: serve them now rather than wait for a release.
                settle(group, view, work);
            }
            return waiting;
        }
        // A deploy job holds the environment's slot now: its deployment starts (the colour is chosen here) and the
        // HYBRIDCI_DEPLOY_* variables go into the job in the same write as Queue.
        Map<String, String> deployEnv = ready.kind() == JobKind.DEPLOY ? deployments.start(ready, ACTOR) : Map.of();
        Optional<Job> written = applyConditionally(ready, new JobEvent.Queue(clock.instant(), ACTOR),
                next -> withEnv(BlockFields.inherit(next, latest), deployEnv));
        if (written.isPresent()) {
            work.movedDependents.put(written.get().id(), written.get().state());
            dispatch(written.get(), work);
            return written;
        }
        // Not queued by us: if the job left PENDING another way (canceled), the slot must not stay taken.
        Optional<Job> stored = jobs.find(ready.id());
        if (stored.isEmpty() || stored.get().state().isTerminal()) {
            settle(slots.release(limit.group(), ready.id(), clock.instant()), view, work);
        }
        return Optional.empty();
    }

    private static Job withEnv(Job job, Map<String, String> extra) {
        if (extra.isEmpty()) {
            return job;
        }
        Map<String, String> env = new HashMap<>(job.env());
        env.putAll(extra);
        return job.toBuilder().env(env).build();
    }

    // ------------------------------------------------------------------ deployments

    /**
     * Reacts to one change of a deployment item: a deployment that went LIVE becomes the environment's live one
     * (the one it replaced SUPERSEDED or ROLLED_BACK), then {@code Deployment State Changed} is published. Both are
     * repeated safely on a re-delivered record ({@link Deployments#wentLive} skips what is done; events are
     * at-least-once, consumers key on the deployment id and {@code to}).
     */
    public List<BusEvent> reactToDeployment(Deployment before, Deployment after) {
        if (after == null || (before != null && before.state() == after.state())) {
            return List.of();
        }
        if (after.state() == DeploymentState.LIVE) {
            deployments.wentLive(after, ACTOR);
        }
        List<BusEvent> published = List.of(ReactionMessages.deploymentStateChanged(
                before == null ? null : before.state(), after));
        events.publish(published);
        return published;
    }

    private Optional<JobEvent> eventFor(Job pending, DependencyDecision decision) {
        return switch (decision) {
            case DependencyDecision.Ready _ -> Optional.of(pending.kind() == JobKind.BLOCK
                    ? new JobEvent.Block(clock.instant(), ACTOR)
                    : new JobEvent.Queue(clock.instant(), ACTOR));
            case DependencyDecision.Skip skip -> Optional.of(new JobEvent.Skip(skip.reason(), clock.instant(), ACTOR));
            case DependencyDecision.Waiting _, DependencyDecision.NotPending _ -> Optional.empty();
        };
    }

    /**
     * Applies {@code event} with a conditional write, re-reading on a lost race; {@code complete} fills in
     * what the event alone does not decide (inherited block-field values) before each write.
     *
     * @return the job as written by this call; empty when nothing was written (already applied,
     * refused by the state machine, or the job is gone)
     */
    private Optional<Job> applyConditionally(Job job, JobEvent event, UnaryOperator<Job> complete) {
        Job current = job;
        for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
            Transition<Job> transition = JobTransitions.apply(current, event);
            switch (transition) {
                case Transition.Rejected<Job> rejected -> {
                    logRejection(current, event.getClass().getSimpleName(), rejected);
                    return Optional.empty();
                }
                case Transition.Moved<Job>(Job moved) -> {
                    switch (jobs.update(complete.apply(moved), current.version())) {
                        case WriteResult.Written<Job>(Job written) -> {
                            return Optional.of(written);
                        }
                        case WriteResult.Conflict<Job>(Optional<Job> stored) -> {
                            if (stored.isEmpty()) {
                                return Optional.empty();
                            }
                            current = stored.get();
                        }
                    }
                }
            }
        }
        throw new ContendedWriteException("could not apply " + event.getClass().getSimpleName() + " to job " + job.id());
    }

    // ------------------------------------------------------------------ build rollup

    private Optional<BuildChange> rollUp(BuildView view, Instant changedAt, String eventId) {
        Build build = view.build();
        if (build == null) {
            LOG.log(Level.WARNING, "record {0}: build {1} not found, nothing to roll up", eventId, view.buildId());
            return Optional.empty();
        }
        for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
            // The build changed when its job did; never stamp it earlier than its last change
            // (records of different jobs arrive in any order).
            Instant at = changedAt.isAfter(build.updatedAt()) ? changedAt : build.updatedAt();
            BuildState derived = derivedState(build, view.jobs());
            if (derived == build.state()) {
                return Optional.empty();
            }
            Build next = build.withState(derived, at, ACTOR);
            switch (builds.update(next, build.version())) {
                case WriteResult.Written<Build>(Build written) -> {
                    return Optional.of(new BuildChange(build, written));
                }
                case WriteResult.Conflict<Build>(Optional<Build> stored) -> {
                    if (stored.isEmpty()) {
                        return Optional.empty();
                    }
                    // Build first, then its jobs: see the class comment.
                    build = stored.get();
                    view.reloadJobs(jobs);
                }
            }
        }
        throw new ContendedWriteException("could not roll up build " + build.id());
    }

    /**
     * {@link BuildRollup#of}, except that a build whose uploaded pipeline has more steps than it has
     * jobs yet is not finished (docs/data-model.md, {@code pipelineSteps}): the planner creates the
     * pipeline's jobs after the upload, and a bootstrap job that passes first must not flash the
     * build PASSED and publish that.
     */
    static BuildState derivedState(Build build, Collection<Job> jobs) {
        BuildState derived = BuildRollup.of(jobs);
        if (!derived.isFinished() || build.pipelineSteps() == null) {
            return derived;
        }
        // The control plane's own jobs (bootstrap, a fork's approval gate) are not pipeline steps.
        long pipelineKeys = jobs.stream()
                .filter(job -> job.kind() != JobKind.BOOTSTRAP && !BootstrapBuilds.RESERVED_KEYS.contains(job.key()))
                .map(Job::key).distinct().count();
        return pipelineKeys < build.pipelineSteps() ? BuildState.RUNNING : derived;
    }

    private static void logRejection(Job job, String event, Transition<Job> rejected) {
        if (rejected instanceof Transition.Rejected<Job>(RejectionReason reason, String message)
                && reason != RejectionReason.ALREADY_APPLIED) {
            // A stale decision (another writer moved the job first): dropped, never a batch failure.
            LOG.log(Level.INFO, "{0} on job {1} rejected: {2}: {3}", event, job.id(), reason, message);
        }
    }

    /** A build this call moved: what it was and what it is now. */
    private record BuildChange(Build before, Build after) {
    }

    /**
     * One build and its jobs (every attempt) as this call knows them: read once, then kept up to
     * date with what the call itself writes, so each decision sees the previous ones.
     */
    private static final class BuildView {
        private final String buildId;
        private final Build build;
        private final Map<String, Job> byId = new LinkedHashMap<>();

        private BuildView(String buildId, Build build) {
            this.buildId = buildId;
            this.build = build;
        }

        static BuildView load(Job changed, JobRepository jobs, BuildRepository builds) {
            BuildView view = new BuildView(changed.buildId(), builds.find(changed.buildId()).orElse(null));
            view.reloadJobs(jobs);
            // The build's job list may lag the record (a GSI read is eventually consistent in AWS).
            view.put(changed);
            return view;
        }

        void reloadJobs(JobRepository jobs) {
            jobs.jobsOfBuild(buildId).forEach(this::put);
        }

        /** Keeps the newer of what is known and {@code job}. */
        void put(Job job) {
            byId.merge(job.id(), job, (known, offered) -> offered.version() >= known.version() ? offered : known);
        }

        Job job(String id) {
            return byId.get(id);
        }

        List<Job> jobs() {
            return List.copyOf(byId.values());
        }

        List<Job> attemptsOf(String key) {
            return byId.values().stream().filter(job -> job.key().equals(key)).toList();
        }

        Build build() {
            return build;
        }

        String buildId() {
            return buildId;
        }
    }

    /** What this call did, gathered for the {@link Reaction}. */
    private static final class Work {
        final List<String> dispatched = new ArrayList<>();
        final List<String> createdAttempts = new ArrayList<>();
        final Map<String, JobState> movedDependents = new HashMap<>();
        final List<BusEvent> published = new ArrayList<>();
        BuildChange buildMovedTo;

        Reaction toReaction() {
            return new Reaction(dispatched, createdAttempts, movedDependents,
                    Optional.ofNullable(buildMovedTo).map(change -> change.after().state()), published);
        }
    }
}
