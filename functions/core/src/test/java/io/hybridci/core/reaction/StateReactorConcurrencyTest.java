package io.hybridci.core.reaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildSource;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.JobTransitions;
import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.pipeline.CommandStep;
import io.hybridci.core.pipeline.ConcurrencyLimit;
import io.hybridci.core.port.ConcurrencyGroup;
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
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The state-reactor with concurrency groups: at most N jobs of a group run at once across builds. */
class StateReactorConcurrencyTest {

    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    static final String PLANNER = "system:build-planner";
    static final String GROUP = "deploy-production";

    final InMemoryJobRepository jobs = new InMemoryJobRepository();
    final InMemoryBuildRepository builds = new InMemoryBuildRepository();
    final RecordingJobDispatcher dispatcher = new RecordingJobDispatcher();
    final InMemoryConcurrencySlots slots = new InMemoryConcurrencySlots();
    final StateReactor reactor = new StateReactor(jobs, builds, dispatcher, new RecordingEventPublisher(), slots,
            Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));

    @Test
    void shouldKeepTheSecondJobPendingWithTheReason_whenTheGroupsOnlySlotIsTaken() {
        JobChange first = planned("b-1");
        JobChange second = planned("b-2");

        reactor.react(first);
        Reaction waited = reactor.react(second);

        assertEquals(JobState.QUEUED, stored(first).state());
        Job waiting = stored(second);
        assertEquals(JobState.PENDING, waiting.state());
        assertEquals("concurrency_group:" + GROUP, waiting.reason());
        assertEquals(List.of(), waited.dispatchedJobIds());
        assertEquals(1, dispatcher.sent().size());
        assertEquals(new ConcurrencyGroup(GROUP, List.of(first.after().id()), List.of(second.after().id()), 2),
                slots.find(GROUP));
    }

    @Test
    void shouldRunTheWaitingJob_whenTheHolderFinishes() {
        JobChange first = planned("b-1");
        JobChange second = planned("b-2");
        reactor.react(first);
        reactor.react(second);

        Reaction released = reactor.react(finish(stored(first)));

        Job promoted = stored(second);
        assertEquals(JobState.QUEUED, promoted.state());
        assertNull(promoted.reason(), "the waiting reason is cleared once the job is queued");
        assertEquals(List.of(promoted.id()), released.dispatchedJobIds());
        assertEquals(List.of(promoted.id()), slots.find(GROUP).holders());
        assertEquals(List.of(), slots.find(GROUP).waiters());
    }

    @Test
    void shouldChangeNothing_whenTheRecordsAreRedelivered() {
        JobChange first = planned("b-1");
        JobChange second = planned("b-2");
        reactor.react(first);
        reactor.react(second);
        JobChange finished = finish(stored(first));
        reactor.react(finished);
        ConcurrencyGroup groupBefore = slots.find(GROUP);
        Job secondBefore = stored(second);
        int sentBefore = dispatcher.sent().size();

        reactor.react(finished);
        reactor.react(second);
        reactor.react(first);

        assertEquals(groupBefore, slots.find(GROUP), "no second acquire, no second release");
        assertEquals(secondBefore, stored(second));
        assertEquals(sentBefore, dispatcher.sent().size());
    }

    @Test
    void shouldGiveTheSlotToTheNextWaiter_whenAWaitingJobIsCanceled() {
        JobChange first = planned("b-1");
        JobChange second = planned("b-2");
        JobChange third = planned("b-3");
        reactor.react(first);
        reactor.react(second);
        reactor.react(third);
        Job waiting = stored(second);
        Job canceled = JobTransitions.apply(waiting, new JobEvent.Cancel("user:u", "canceled_by_user", T0.plusSeconds(30)))
                .orElseThrow();
        assertTrue(jobs.update(canceled, waiting.version()).written());
        reactor.react(new JobChange("e-cancel", waiting, canceled));

        reactor.react(finish(stored(first)));

        assertEquals(JobState.QUEUED, stored(third).state());
        assertEquals(List.of(third.after().id()), slots.find(GROUP).holders());
    }

    // ------------------------------------------------------------------ fixtures

    /** A build with one step of the group, planned PENDING as the planner does; returns its creation record. */
    JobChange planned(String buildId) {
        assertTrue(builds.create(Build.created(buildId, "acme/widgets", "https://github.com/acme/widgets.git", "main",
                null, "9f2c1e0b7d4a5c3e8f1b2a6d0c9e7f4a3b5d1c2e", "Fix", "octocat", "octocat", BuildSource.PUSH, null,
                T0, "github:octocat")).written());
        CommandStep step = new CommandStep("deploy", "Deploy", "./deploy.sh", "default", List.of(), OptionalInt.empty(),
                RetryPolicy.DEFAULT, Map.of(), Optional.of(new ConcurrencyLimit(GROUP, 1)), 0, Optional.empty());
        Job job = Job.planned(buildId, "deploy", "Deploy", JobKind.COMMAND, "default", 0, List.of(), "./deploy.sh",
                Map.of(), 10, RetryPolicy.DEFAULT, T0, PLANNER).toBuilder().step(step).build();
        assertTrue(jobs.create(job).written());
        return new JobChange("e-create-" + buildId, null, job);
    }

    /** An agent accepts, runs and passes {@code queued}; returns the record of the finish. */
    JobChange finish(Job queued) {
        Job assigned = JobTransitions.apply(queued, new JobEvent.Accept("a-1", T0.plusSeconds(61))).orElseThrow();
        Job running = JobTransitions.apply(assigned, new JobEvent.Start("a-1", T0.plusSeconds(62))).orElseThrow();
        Job passed = JobTransitions.apply(running, new JobEvent.Finish("a-1", 0, null, T0.plusSeconds(63))).orElseThrow();
        assertTrue(jobs.update(passed, queued.version()).written());
        return new JobChange("e-finish-" + queued.id(), running, passed);
    }

    Job stored(JobChange change) {
        return jobs.find(change.after().id()).orElseThrow();
    }
}
