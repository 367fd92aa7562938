package io.hybridci.core.reaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildSource;
import io.hybridci.core.build.BuildState;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobIds;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobReason;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.JobTransitions;
import io.hybridci.core.job.PriorityBand;
import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.port.BuildRepository;
import io.hybridci.core.port.EventPublisher.BusEvent;
import io.hybridci.core.port.Page;
import io.hybridci.core.port.WriteResult;
import io.hybridci.core.port.inmemory.InMemoryBuildRepository;
import io.hybridci.core.port.inmemory.InMemoryConcurrencySlots;
import io.hybridci.core.port.inmemory.InMemoryJobRepository;
import io.hybridci.core.port.inmemory.RecordingEventPublisher;
import io.hybridci.core.port.inmemory.RecordingJobDispatcher;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateReactorTest {

    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    static final Instant NOW = T0.plusSeconds(60);
    static final String BUILD = "b-1";
    static final String PLANNER = "system:build-planner";
    static final ObjectMapper JSON = new ObjectMapper();

    final InMemoryJobRepository jobs = new InMemoryJobRepository();
    final InMemoryBuildRepository builds = new InMemoryBuildRepository();
    final RecordingJobDispatcher dispatcher = new RecordingJobDispatcher();
    final RecordingEventPublisher events = new RecordingEventPublisher();
    final InMemoryConcurrencySlots slots = new InMemoryConcurrencySlots();
    final StateReactor reactor = new StateReactor(jobs, builds, dispatcher, events, slots, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void shouldDispatchOnceAndRecordDispatchedAt_whenAQueuedJobIsCreated() throws Exception {
        builds.create(build());
        Job queued = create(job("test", List.of(), RetryPolicy.DEFAULT, JobKind.COMMAND).withState(JobState.QUEUED));

        Reaction reaction = reactor.react(new JobChange("e1", null, queued));

        assertEquals(List.of(queued.id()), reaction.dispatchedJobIds());
        assertEquals(1, dispatcher.sent().size());
        assertEquals("default", dispatcher.sent().getFirst().queue());
        JsonNode message = JSON.readTree(dispatcher.sent().getFirst().messageJson());
        assertEquals(queued.id(), message.get("jobId").textValue());
        assertEquals(NOW.toString(), message.get("dispatchedAt").textValue());
        assertEquals(NOW, jobs.find(queued.id()).orElseThrow().dispatchedAt());
    }

    @Test
    void shouldDispatchToTheHighBand_exactlyWhenThePriorityIsAboveZero() {
        builds.create(build());
        for (int priority : List.of(1, 0, -2, 50)) {
            Job queued = create(Job.planned(BUILD, "p" + (priority + 10), "Step", JobKind.COMMAND, "default", priority,
                    List.of(), "make", Map.of(), 10, RetryPolicy.DEFAULT, T0, PLANNER).withState(JobState.QUEUED));
            reactor.react(new JobChange("e" + priority, null, queued));
        }

        assertEquals(List.of(PriorityBand.HIGH, PriorityBand.NORMAL, PriorityBand.NORMAL, PriorityBand.HIGH),
                dispatcher.sent().stream().map(RecordingJobDispatcher.Sent::band).toList());
    }

    @Test
    void shouldSendNothing_whenTheRecordIsRedelivered() {
        builds.create(build());
        Job queued = create(job("test", List.of(), RetryPolicy.DEFAULT, JobKind.COMMAND).withState(JobState.QUEUED));
        JobChange change = new JobChange("e1", null, queued);
        reactor.react(change);

        Reaction again = reactor.react(change);

        assertEquals(List.of(), again.dispatchedJobIds());
        assertEquals(1, dispatcher.sent().size());
    }

    @Test
    void shouldQueueAndDispatchTheDependentOnce_whenItsDependencyPassed() {
        builds.create(build());
        Job test = create(running("test"));
        Job deploy = create(job("deploy", List.of("test"), RetryPolicy.DEFAULT, JobKind.COMMAND));

        JobChange passed = move(test, new JobEvent.Finish("a-1", 0, null, T0.plusSeconds(30)));
        Reaction reaction = reactor.react(passed);
        // The dependent's own record (PENDING -> QUEUED) arrives later and must not send it again.
        Job queuedDeploy = jobs.find(deploy.id()).orElseThrow();
        reactor.react(new JobChange("e2", deploy,
                queuedDeploy.toBuilder().dispatchedAt(null).version(queuedDeploy.version() - 1).build()));

        assertEquals(Map.of(deploy.id(), JobState.QUEUED), reaction.movedDependents());
        assertEquals(JobState.QUEUED, queuedDeploy.state());
        assertNotNull(queuedDeploy.dispatchedAt());
        assertEquals(List.of(deploy.id()), dispatcher.sent().stream().map(this::jobIdOf).toList());
    }

    @Test
    void shouldSkipDependentsTransitively_whenADependencyFailedWithoutRetry() {
        builds.create(build());
        Job test = create(running("test"));
        Job deploy = create(job("deploy", List.of("test"), RetryPolicy.DEFAULT, JobKind.COMMAND));
        Job notify = create(job("notify", List.of("deploy"), RetryPolicy.DEFAULT, JobKind.COMMAND));

        Reaction reaction = reactor.react(move(test, new JobEvent.Finish("a-1", 2, null, T0.plusSeconds(30))));

        assertEquals(Map.of(deploy.id(), JobState.SKIPPED, notify.id(), JobState.SKIPPED), reaction.movedDependents());
        assertEquals(JobReason.DEPENDENCY_FAILED, jobs.find(notify.id()).orElseThrow().reason());
        assertEquals(Optional.of(BuildState.FAILED), reaction.buildMovedTo());
        assertEquals(List.of(), dispatcher.sent());
    }

    @Test
    void shouldBlockTheBlockStep_whenItsDependenciesPassed() {
        builds.create(build());
        Job test = create(running("test"));
        Job approve = create(job("approve", List.of("test"), RetryPolicy.DEFAULT, JobKind.BLOCK));

        Reaction reaction = reactor.react(move(test, new JobEvent.Finish("a-1", 0, null, T0.plusSeconds(30))));

        assertEquals(JobState.BLOCKED, jobs.find(approve.id()).orElseThrow().state());
        assertEquals(Optional.of(BuildState.BLOCKED), reaction.buildMovedTo());
        assertEquals(List.of(), dispatcher.sent());
    }

    @Test
    void shouldCreateTheNextAttemptAndKeepDependentsWaiting_whenAFailedJobHasARetryRule() {
        builds.create(build());
        RetryPolicy retryOnce = new RetryPolicy(List.of(RetryPolicy.AutomaticRetry.onAnyFailure(1)), true);
        Job test = create(running("test", retryOnce));
        Job deploy = create(job("deploy", List.of("test"), RetryPolicy.DEFAULT, JobKind.COMMAND));

        JobChange failed = move(test, new JobEvent.Finish("a-1", 1, null, T0.plusSeconds(30)));
        Reaction reaction = reactor.react(failed);
        Reaction redelivered = reactor.react(failed);

        String secondAttempt = JobIds.of(BUILD, "test", 2);
        assertEquals(List.of(secondAttempt), reaction.createdAttemptIds());
        assertEquals(secondAttempt, jobs.find(test.id()).orElseThrow().retriedBy());
        Job next = jobs.find(secondAttempt).orElseThrow();
        assertEquals(JobState.QUEUED, next.state());
        assertEquals(2, next.attempt());
        assertEquals(JobState.PENDING, jobs.find(deploy.id()).orElseThrow().state());
        assertEquals(BuildState.RUNNING, builds.find(BUILD).orElseThrow().state());
        assertEquals(List.of(), redelivered.createdAttemptIds());
        assertEquals(List.of(secondAttempt), dispatcher.sent().stream().map(this::jobIdOf).toList());
    }

    @Test
    void shouldRollUpAndPublishBuildStateChangedOnce_whenTheLastJobPasses() throws Exception {
        builds.create(build().withState(BuildState.RUNNING, T0.plusSeconds(5), PLANNER));
        Job lint = create(running("lint"));
        Job test = create(running("test"));

        Reaction first = reactor.react(move(lint, new JobEvent.Finish("a-1", 0, null, T0.plusSeconds(20))));
        Reaction last = reactor.react(move(test, new JobEvent.Finish("a-1", 0, null, T0.plusSeconds(30))));

        assertEquals(Optional.empty(), first.buildMovedTo());
        assertEquals(Optional.of(BuildState.PASSED), last.buildMovedTo());
        List<BusEvent> buildEvents = events.published().stream()
                .filter(event -> event.detailType().equals(ReactionMessages.DETAIL_TYPE_BUILD_STATE_CHANGED)).toList();
        assertEquals(1, buildEvents.size());
        JsonNode detail = JSON.readTree(buildEvents.getFirst().detailJson());
        assertEquals("RUNNING", detail.get("from").textValue());
        assertEquals("PASSED", detail.get("to").textValue());
        assertEquals(T0.plusSeconds(30), builds.find(BUILD).orElseThrow().finishedAt());
    }

    @Test
    void shouldPublishJobStateChangedFromBeforeToAfter_whenTheStateChanged() throws Exception {
        builds.create(build());
        Job test = create(running("test"));

        reactor.react(move(test, new JobEvent.Finish("a-1", 3, "SIGKILL", T0.plusSeconds(30))));

        BusEvent event = events.published().getFirst();
        assertEquals(ReactionMessages.SOURCE_JOBS, event.source());
        JsonNode detail = JSON.readTree(event.detailJson());
        assertEquals("RUNNING", detail.get("from").textValue());
        assertEquals("FAILED", detail.get("to").textValue());
        assertEquals(3, detail.get("exitStatus").intValue());
        assertEquals("SIGKILL", detail.get("signal").textValue());
    }

    @Test
    void shouldPublishNothing_whenOnlyDispatchedAtChanged() {
        builds.create(build());
        Job queued = create(job("test", List.of(), RetryPolicy.DEFAULT, JobKind.COMMAND).withState(JobState.QUEUED));

        JobChange dispatched = move(queued, new JobEvent.Dispatch(T0.plusSeconds(1), StateReactor.ACTOR));
        Reaction reaction = reactor.react(dispatched);

        assertEquals(List.of(), reaction.published());
        assertEquals(List.of(), events.published());
    }

    @Test
    void shouldRederiveTheBuild_whenAnotherWriterChangedItFirst() {
        builds.create(build().withState(BuildState.RUNNING, T0.plusSeconds(5), PLANNER));
        AtomicBoolean raced = new AtomicBoolean();
        BuildRepository racing = new RacingBuildRepository(builds, raced);
        StateReactor contended = new StateReactor(jobs, racing, dispatcher, events, slots, Clock.fixed(NOW, ZoneOffset.UTC));
        Job test = create(running("test"));

        Reaction reaction = contended.react(move(test, new JobEvent.Finish("a-1", 0, null, T0.plusSeconds(30))));

        assertTrue(raced.get());
        assertEquals(Optional.of(BuildState.PASSED), reaction.buildMovedTo());
        assertEquals(BuildState.PASSED, builds.find(BUILD).orElseThrow().state());
    }

    @Test
    void shouldFailTheRecord_whenThePublisherRejectsTheEvents() {
        builds.create(build());
        Job test = create(running("test"));
        JobChange passed = move(test, new JobEvent.Finish("a-1", 0, null, T0.plusSeconds(30)));
        events.failNext(1);

        assertThrows(IllegalStateException.class, () -> reactor.react(passed));
        reactor.react(passed);

        assertEquals(1, events.published().stream()
                .filter(event -> event.detailType().equals(ReactionMessages.DETAIL_TYPE_JOB_STATE_CHANGED)).count());
    }

    @Test
    void shouldKeepTheBuildRunning_whenTheBootstrapPassedBeforeThePipelineJobsExist() {
        builds.create(build().withState(BuildState.RUNNING, T0.plusSeconds(5), PLANNER)
                .withPipelineSteps(2, T0.plusSeconds(6), "agent:a-1"));
        Job bootstrap = create(running("bootstrap").toBuilder().build());
        Job bootstrapJob = new Job(bootstrap.id(), bootstrap.buildId(), bootstrap.key(), bootstrap.label(), 1,
                bootstrap.state(), bootstrap.queue(), 0, List.of(), JobKind.BOOTSTRAP, bootstrap.command(), Map.of(),
                null, RetryPolicy.DEFAULT, bootstrap.agentId(), null, null, null, bootstrap.createdAt(),
                bootstrap.queuedAt(), bootstrap.dispatchedAt(), bootstrap.assignedAt(), bootstrap.startedAt(), null,
                null, null, bootstrap.version() + 1, bootstrap.updatedAt(), bootstrap.lastActor());
        assertTrue(jobs.update(bootstrapJob, bootstrap.version()).written());
        Job lint = create(running("lint"));

        Reaction early = reactor.react(move(bootstrapJob, new JobEvent.Finish("a-1", 0, null, T0.plusSeconds(20))));
        create(job("test", List.of("lint"), RetryPolicy.DEFAULT, JobKind.COMMAND));
        Reaction lintPassed = reactor.react(move(lint, new JobEvent.Finish("a-1", 0, null, T0.plusSeconds(30))));

        assertEquals(Optional.empty(), early.buildMovedTo());
        assertEquals(BuildState.RUNNING, builds.find(BUILD).orElseThrow().state());
        assertEquals(Map.of(JobIds.of(BUILD, "test", 1), JobState.QUEUED), lintPassed.movedDependents());
    }

    @Test
    void shouldDoNothing_whenTheJobWasRemoved() {
        Job test = running("test");

        Reaction reaction = reactor.react(new JobChange("e1", test, null));

        assertEquals(Reaction.nothing(), reaction);
        assertNull(jobs.find(test.id()).orElse(null));
    }

    // ------------------------------------------------------------------ fixtures

    static Build build() {
        return Build.created(BUILD, "acme/widgets", "https://github.com/acme/widgets.git", "main", null,
                "9f2c1e0b7d4a5c3e8f1b2a6d0c9e7f4a3b5d1c2e", "Fix", "octocat", "octocat", BuildSource.PUSH, null, T0,
                "github:octocat");
    }

    static Job job(String key, List<String> dependsOn, RetryPolicy policy, JobKind kind) {
        return Job.planned(BUILD, key, "Step " + key, kind, "default", 0, dependsOn,
                kind == JobKind.BLOCK ? null : "make " + key, Map.of(), 10, policy, T0, PLANNER);
    }

    static Job running(String key) {
        return running(key, RetryPolicy.DEFAULT);
    }

    static Job running(String key, RetryPolicy policy) {
        Job queued = JobTransitions.apply(job(key, List.of(), policy, JobKind.COMMAND),
                new JobEvent.Queue(T0.plusSeconds(1), PLANNER)).orElseThrow();
        Job assigned = JobTransitions.apply(queued, new JobEvent.Accept("a-1", T0.plusSeconds(2))).orElseThrow();
        return JobTransitions.apply(assigned, new JobEvent.Start("a-1", T0.plusSeconds(3))).orElseThrow();
    }

    Job create(Job job) {
        assertTrue(jobs.create(job).written());
        return job;
    }

    /** Applies {@code event} to the stored job as another function would, and returns the stream record of it. */
    JobChange move(Job before, JobEvent event) {
        Job after = JobTransitions.apply(before, event).orElseThrow();
        assertTrue(jobs.update(after, before.version()).written());
        return new JobChange("e-" + after.id() + "-" + after.version(), before, after);
    }

    String jobIdOf(RecordingJobDispatcher.Sent sent) {
        try {
            return JSON.readTree(sent.messageJson()).get("jobId").textValue();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A build repository where another writer changes the build just before the first update. */
    record RacingBuildRepository(InMemoryBuildRepository delegate, AtomicBoolean raced) implements BuildRepository {
        @Override
        public Optional<Build> find(String buildId) {
            return delegate.find(buildId);
        }

        @Override
        public WriteResult<Build> create(Build build) {
            return delegate.create(build);
        }

        @Override
        public WriteResult<Build> update(Build next, long expectedVersion) {
            if (raced.compareAndSet(false, true)) {
                Build stored = delegate.find(next.id()).orElseThrow();
                // Same state, newer version: only the version condition can notice.
                delegate.update(new Build(stored.id(), stored.repo(), stored.cloneUrl(), stored.branch(), stored.tag(),
                        stored.commit(), stored.message(), stored.author(), stored.pusher(), stored.source(),
                        stored.pullRequestNumber(), stored.state(), stored.createdAt(), stored.startedAt(),
                        stored.finishedAt(), stored.version() + 1, stored.updatedAt(), "user:other"),
                        stored.version());
            }
            return delegate.update(next, expectedVersion);
        }

        @Override
        public Page<Build> listNewestFirst(int limit, Optional<String> cursor) {
            return delegate.listNewestFirst(limit, cursor);
        }

        @Override
        public Page<Build> listOnBranchNewestFirst(String repo, String branch, int limit, Optional<String> cursor) {
            return delegate.listOnBranchNewestFirst(repo, branch, limit, cursor);
        }
    }
}
