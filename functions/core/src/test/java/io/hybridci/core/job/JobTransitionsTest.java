package io.hybridci.core.job;

import io.hybridci.core.job.JobEvent.Accept;
import io.hybridci.core.job.JobEvent.AgentLost;
import io.hybridci.core.job.JobEvent.Block;
import io.hybridci.core.job.JobEvent.Cancel;
import io.hybridci.core.job.JobEvent.ConfirmCanceled;
import io.hybridci.core.job.JobEvent.ConfirmTimedOut;
import io.hybridci.core.job.JobEvent.Dispatch;
import io.hybridci.core.job.JobEvent.Expire;
import io.hybridci.core.job.JobEvent.Finish;
import io.hybridci.core.job.JobEvent.Queue;
import io.hybridci.core.job.JobEvent.Skip;
import io.hybridci.core.job.JobEvent.Start;
import io.hybridci.core.job.JobEvent.TimeOut;
import io.hybridci.core.job.JobEvent.Unblock;
import io.hybridci.core.statemachine.RejectionReason;
import io.hybridci.core.statemachine.Transition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.hybridci.core.job.JobFixtures.AGENT;
import static io.hybridci.core.job.JobFixtures.OTHER_AGENT;
import static io.hybridci.core.job.JobFixtures.inState;
import static io.hybridci.core.job.JobState.ASSIGNED;
import static io.hybridci.core.job.JobState.BLOCKED;
import static io.hybridci.core.job.JobState.CANCELED;
import static io.hybridci.core.job.JobState.CANCELING;
import static io.hybridci.core.job.JobState.EXPIRED;
import static io.hybridci.core.job.JobState.FAILED;
import static io.hybridci.core.job.JobState.PASSED;
import static io.hybridci.core.job.JobState.PENDING;
import static io.hybridci.core.job.JobState.QUEUED;
import static io.hybridci.core.job.JobState.RUNNING;
import static io.hybridci.core.job.JobState.SKIPPED;
import static io.hybridci.core.job.JobState.TIMED_OUT;
import static io.hybridci.core.job.JobState.TIMING_OUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class JobTransitionsTest {

    private static final Instant AT = JobFixtures.T0.plusSeconds(60);
    private static final String USER = "user:alice";
    private static final String REAPER = "system:reaper";

    /** Every edge of the table, with the event that takes it. */
    static List<Arguments> edges() {
        return List.of(
                Arguments.of(PENDING, new Queue(AT, REAPER), QUEUED),
                Arguments.of(PENDING, new JobEvent.WaitForSlot("deploy-production", AT, REAPER), PENDING),
                Arguments.of(PENDING, new Skip(JobReason.DEPENDENCY_FAILED, AT, REAPER), SKIPPED),
                Arguments.of(PENDING, new Cancel(USER, JobReason.CANCELED_BY_USER, AT), CANCELED),
                Arguments.of(PENDING, new JobEvent.Refuse("environment refuses the branch", AT, REAPER), FAILED),
                Arguments.of(QUEUED, new Dispatch(AT, REAPER), QUEUED),
                Arguments.of(QUEUED, new Accept(AGENT, AT), ASSIGNED),
                Arguments.of(QUEUED, new Expire(AT, REAPER), EXPIRED),
                Arguments.of(QUEUED, new Cancel(USER, JobReason.CANCELED_BY_USER, AT), CANCELED),
                Arguments.of(ASSIGNED, new Start(AGENT, AT), RUNNING),
                Arguments.of(ASSIGNED, new Finish(AGENT, 0, null, AT), PASSED),
                Arguments.of(ASSIGNED, new Finish(AGENT, 1, null, AT), FAILED),
                Arguments.of(ASSIGNED, new Cancel(USER, JobReason.CANCELED_BY_USER, AT), CANCELING),
                Arguments.of(ASSIGNED, new AgentLost(AGENT, AT, REAPER), FAILED),
                Arguments.of(RUNNING, new Finish(AGENT, 0, null, AT), PASSED),
                Arguments.of(RUNNING, new Finish(AGENT, 2, null, AT), FAILED),
                Arguments.of(RUNNING, new Cancel(USER, JobReason.CANCELED_BY_USER, AT), CANCELING),
                Arguments.of(RUNNING, new TimeOut(AT, REAPER), TIMING_OUT),
                Arguments.of(RUNNING, new AgentLost(AGENT, AT, REAPER), FAILED),
                Arguments.of(CANCELING, new ConfirmCanceled(143, "SIGTERM", AT, REAPER), CANCELED),
                Arguments.of(CANCELING, new Finish(AGENT, 0, null, AT), CANCELED),
                Arguments.of(CANCELING, new AgentLost(AGENT, AT, REAPER), CANCELED),
                Arguments.of(TIMING_OUT, new ConfirmTimedOut(143, "SIGTERM", AT, REAPER), TIMED_OUT),
                Arguments.of(TIMING_OUT, new Finish(AGENT, 143, "SIGTERM", AT), TIMED_OUT),
                Arguments.of(TIMING_OUT, new AgentLost(AGENT, AT, REAPER), TIMED_OUT),
                Arguments.of(BLOCKED, new Unblock(USER, AT), PASSED),
                Arguments.of(BLOCKED, new JobEvent.Reject(USER, JobReason.REJECTED, AT), FAILED),
                Arguments.of(BLOCKED, new Cancel(USER, JobReason.CANCELED_BY_USER, AT), CANCELED));
    }

    @ParameterizedTest(name = "{0} --{1}--> {2}")
    @MethodSource("edges")
    void shouldMoveAlongTheEdge_whenEventIsInTheTable(JobState from, JobEvent event, JobState to) {
        Job before = inState(from);

        Job after = JobTransitions.apply(before, event).orElseThrow();

        assertEquals(to, after.state());
        assertEquals(before.version() + 1, after.version());
        assertEquals(AT, after.updatedAt());
        assertEquals(event.actor(), after.lastActor());
        assertEquals(to.isTerminal(), after.finishedAt() != null, "finishedAt is set exactly on terminal states");
    }

    @Test
    void shouldBlockABlockStep_whenItsDependenciesPassed() {
        Job blockStep = JobFixtures.planned(JobKind.BLOCK);

        Job after = JobTransitions.apply(blockStep, new Block(AT, REAPER)).orElseThrow();

        assertEquals(BLOCKED, after.state());
    }

    @Test
    void shouldRecordTheGroupAndThenClearIt_whenJobWaitsForASlotAndIsQueuedLater() {
        Job pending = JobFixtures.planned(JobKind.DEPLOY);

        Job waiting = JobTransitions.apply(pending, new JobEvent.WaitForSlot("deploy-production", AT, REAPER)).orElseThrow();
        Transition<Job> again = JobTransitions.apply(waiting, new JobEvent.WaitForSlot("deploy-production", AT, REAPER));
        Job queued = JobTransitions.apply(waiting, new Queue(AT.plusSeconds(1), REAPER)).orElseThrow();

        assertEquals("concurrency_group:deploy-production", waiting.reason());
        assertEquals(RejectionReason.ALREADY_APPLIED, ((Transition.Rejected<Job>) again).reason());
        assertEquals(QUEUED, queued.state());
        assertEquals(null, queued.reason());
    }

    @Test
    void shouldListExactlyTheTestedEdges_whenAllowedTableIsExposedAsData() {
        Map<JobState, Set<JobState>> tested = new EnumMap<>(JobState.class);
        for (JobState state : JobState.values()) {
            tested.put(state, EnumSet.noneOf(JobState.class));
        }
        edges().forEach(arguments -> tested.get((JobState) arguments.get()[0]).add((JobState) arguments.get()[2]));
        tested.get(PENDING).add(BLOCKED);
        tested.get(BLOCKED).add(PENDING); // a deploy job's approval: shouldReturnToPending_whenADeployJobIsApproved

        assertEquals(tested, JobTransitions.allowed());
    }

    @Test
    void shouldReturnToPending_whenADeployJobIsApproved() {
        Job blocked = JobTransitions.apply(JobFixtures.planned(JobKind.DEPLOY), new Block(AT, REAPER)).orElseThrow();
        Job approved = JobTransitions.apply(blocked, new Unblock(USER, AT.plusSeconds(1))).orElseThrow();

        assertEquals(BLOCKED, blocked.state());
        assertEquals(PENDING, approved.state());
        assertEquals(USER, approved.lastActor());
        assertEquals(null, approved.finishedAt());
        Transition.Rejected<?> again = assertInstanceOf(Transition.Rejected.class,
                JobTransitions.apply(approved, new Unblock(USER, AT.plusSeconds(1))));
        assertEquals(RejectionReason.ALREADY_APPLIED, again.reason());
    }

    @Test
    void shouldFailWithTheReason_whenADeployIsRefused() {
        String reason = "environment \"production\" allows deploys only from branches main; this build is on branch \"x\"";
        Job refused = JobTransitions.apply(JobFixtures.planned(JobKind.DEPLOY), new JobEvent.Refuse(reason, AT, REAPER))
                .orElseThrow();

        assertEquals(FAILED, refused.state());
        assertEquals(reason, refused.reason());
        assertEquals(AT, refused.finishedAt());
    }

    static Stream<Arguments> forbidden() {
        return Stream.of(
                Arguments.of(inState(PENDING), new Accept(AGENT, AT)),
                Arguments.of(inState(PENDING), new Start(AGENT, AT)),
                Arguments.of(inState(PENDING), new Block(AT, REAPER)),
                Arguments.of(JobFixtures.planned(JobKind.BLOCK), new Queue(AT, REAPER)),
                Arguments.of(inState(QUEUED), new Start(AGENT, AT)),
                Arguments.of(inState(QUEUED), new Finish(AGENT, 0, null, AT)),
                Arguments.of(inState(QUEUED), new AgentLost(AGENT, AT, REAPER)),
                Arguments.of(inState(QUEUED), new TimeOut(AT, REAPER)),
                Arguments.of(inState(ASSIGNED), new TimeOut(AT, REAPER)),
                Arguments.of(inState(ASSIGNED), new Expire(AT, REAPER)),
                Arguments.of(inState(RUNNING), new Queue(AT, REAPER)),
                Arguments.of(inState(RUNNING), new Dispatch(AT, REAPER)),
                Arguments.of(inState(RUNNING), new ConfirmCanceled(0, null, AT, REAPER)),
                Arguments.of(inState(TIMING_OUT), new Cancel(USER, JobReason.CANCELED_BY_USER, AT)),
                Arguments.of(inState(CANCELING), new TimeOut(AT, REAPER)),
                Arguments.of(inState(BLOCKED), new Skip(JobReason.DEPENDENCY_FAILED, AT, REAPER)),
                Arguments.of(inState(BLOCKED), new Queue(AT, REAPER)));
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("forbidden")
    void shouldRejectAsIllegal_whenEventIsOffTheTable(Job job, JobEvent event) {
        Transition<Job> result = JobTransitions.apply(job, event);

        assertRejected(RejectionReason.ILLEGAL_TRANSITION, result);
    }

    @ParameterizedTest
    @EnumSource(value = JobState.class, names = {"PASSED", "FAILED", "CANCELED", "TIMED_OUT", "EXPIRED", "SKIPPED"})
    void shouldRejectEveryMove_whenJobIsTerminal(JobState terminal) {
        Job job = inState(terminal);
        List<JobEvent> events = List.of(new Queue(AT, REAPER), new Accept(OTHER_AGENT, AT), new Start(OTHER_AGENT, AT),
                new TimeOut(AT, REAPER), new Expire(AT.plusSeconds(1), REAPER), new Unblock(USER, AT));

        for (JobEvent event : events) {
            Transition<Job> result = JobTransitions.apply(job, event);
            if (result instanceof Transition.Rejected<Job> rejected
                    && rejected.reason() == RejectionReason.ALREADY_APPLIED) {
                continue; // e.g. Expire on an EXPIRED job is a re-delivery, not a move
            }
            assertRejected(RejectionReason.TERMINAL, result);
        }
    }

    @Test
    void shouldRecogniseADuplicate_whenTheSameAgentStartsTwice() {
        Job running = JobTransitions.apply(inState(ASSIGNED), new Start(AGENT, AT)).orElseThrow();

        assertRejected(RejectionReason.ALREADY_APPLIED, JobTransitions.apply(running, new Start(AGENT, AT.plusSeconds(5))));
    }

    @Test
    void shouldRecogniseADuplicate_whenTheSameAgentAcceptsTwice() {
        Job assigned = JobTransitions.apply(inState(QUEUED), new Accept(AGENT, AT)).orElseThrow();

        assertRejected(RejectionReason.ALREADY_APPLIED, JobTransitions.apply(assigned, new Accept(AGENT, AT)));
    }

    @Test
    void shouldRecogniseADuplicate_whenFinishedIsRedelivered() {
        Job failed = JobTransitions.apply(inState(RUNNING), new Finish(AGENT, 3, null, AT)).orElseThrow();

        assertRejected(RejectionReason.ALREADY_APPLIED, JobTransitions.apply(failed, new Finish(AGENT, 3, null, AT)));
        assertRejected(RejectionReason.TERMINAL, JobTransitions.apply(failed, new Finish(AGENT, 0, null, AT)));
    }

    @Test
    void shouldRecogniseADuplicate_whenCancelIsRepeatedWhileCanceling() {
        Job canceling = inState(CANCELING);

        assertRejected(RejectionReason.ALREADY_APPLIED,
                JobTransitions.apply(canceling, new Cancel(USER, JobReason.CANCELED_BY_USER, AT)));
    }

    @Test
    void shouldRecogniseADuplicate_whenTheSameDispatchIsRedelivered_andAcceptAReDispatchLater() {
        Job dispatched = JobTransitions.apply(inState(QUEUED), new Dispatch(AT, REAPER)).orElseThrow();

        assertRejected(RejectionReason.ALREADY_APPLIED, JobTransitions.apply(dispatched, new Dispatch(AT, REAPER)));
        Job redispatched = JobTransitions.apply(dispatched, new Dispatch(AT.plusSeconds(300), REAPER)).orElseThrow();
        assertEquals(AT.plusSeconds(300), redispatched.dispatchedAt());
        assertEquals(QUEUED, redispatched.state());
    }

    @Test
    void shouldRejectWithWrongAgent_whenAnotherAgentLosesTheAcceptRace() {
        Job assigned = JobTransitions.apply(inState(QUEUED), new Accept(AGENT, AT)).orElseThrow();

        assertRejected(RejectionReason.WRONG_AGENT, JobTransitions.apply(assigned, new Accept(OTHER_AGENT, AT)));
    }

    @Test
    void shouldRejectWithWrongAgent_whenAnAgentReportsOnAJobItDoesNotHold() {
        assertRejected(RejectionReason.WRONG_AGENT, JobTransitions.apply(inState(ASSIGNED), new Start(OTHER_AGENT, AT)));
        assertRejected(RejectionReason.WRONG_AGENT,
                JobTransitions.apply(inState(RUNNING), new Finish(OTHER_AGENT, 0, null, AT)));
        assertRejected(RejectionReason.WRONG_AGENT,
                JobTransitions.apply(inState(RUNNING), new AgentLost(OTHER_AGENT, AT, REAPER)));
    }

    @Test
    void shouldFailWithExitMinusOneAndAgentLost_whenTheRunningAgentIsLost() {
        Job lost = JobTransitions.apply(inState(RUNNING), new AgentLost(AGENT, AT, REAPER)).orElseThrow();

        assertEquals(FAILED, lost.state());
        assertEquals(RetryPolicy.AGENT_LOST_EXIT_STATUS, lost.exitStatus());
        assertEquals(JobReason.AGENT_LOST, lost.reason());
        assertRejected(RejectionReason.ALREADY_APPLIED, JobTransitions.apply(lost, new AgentLost(AGENT, AT, REAPER)));
    }

    @Test
    void shouldEndCanceledAndKeepTheCancelReason_whenTheAgentOfACancelingJobIsLost() {
        Job canceling = JobTransitions.apply(inState(RUNNING), new Cancel(USER, JobReason.CANCELED_BY_USER, AT))
                .orElseThrow();

        Job lost = JobTransitions.apply(canceling, new AgentLost(AGENT, AT.plusSeconds(200), REAPER)).orElseThrow();

        assertEquals(CANCELED, lost.state());
        assertEquals(JobReason.CANCELED_BY_USER, lost.reason());
        assertEquals(RetryPolicy.AGENT_LOST_EXIT_STATUS, lost.exitStatus());
    }

    @Test
    void shouldEndCanceledNotPassed_whenTheCommandExitsZeroWhileCanceling() {
        Job canceled = JobTransitions.apply(inState(CANCELING), new Finish(AGENT, 0, null, AT)).orElseThrow();

        assertEquals(CANCELED, canceled.state());
        assertEquals(0, canceled.exitStatus());
    }

    @Test
    void shouldRecordAgentAndTimestamps_whenAJobRunsToCompletion() {
        Job job = JobFixtures.planned(JobKind.COMMAND);
        List<JobEvent> events = List.of(new Queue(AT, REAPER), new Dispatch(AT.plusSeconds(1), REAPER),
                new Accept(AGENT, AT.plusSeconds(2)), new Start(AGENT, AT.plusSeconds(3)),
                new Finish(AGENT, 0, null, AT.plusSeconds(4)));

        for (JobEvent event : events) {
            job = JobTransitions.apply(job, event).orElseThrow();
        }

        assertEquals(PASSED, job.state());
        assertEquals(AGENT, job.agentId());
        assertEquals(AT, job.queuedAt());
        assertEquals(AT.plusSeconds(1), job.dispatchedAt());
        assertEquals(AT.plusSeconds(2), job.assignedAt());
        assertEquals(AT.plusSeconds(3), job.startedAt());
        assertEquals(AT.plusSeconds(4), job.finishedAt());
        assertEquals(6, job.version());
        assertEquals("agent:" + AGENT, job.lastActor());
        assertNull(job.reason());
    }

    @Test
    void shouldNeverThrow_whenAnyEventMeetsAnyState() {
        List<JobEvent> all = List.of(new Queue(AT, REAPER), new Dispatch(AT, REAPER), new Accept(AGENT, AT),
                new Start(AGENT, AT), new Finish(AGENT, 1, null, AT), new Cancel(USER, "x", AT),
                new ConfirmCanceled(null, null, AT, REAPER), new TimeOut(AT, REAPER),
                new ConfirmTimedOut(null, null, AT, REAPER), new Expire(AT, REAPER), new Skip("x", AT, REAPER),
                new Block(AT, REAPER), new Unblock(USER, AT), new AgentLost(AGENT, AT, REAPER));
        int results = 0;
        for (JobState state : JobState.values()) {
            for (JobEvent event : all) {
                assertNotNull(JobTransitions.apply(inState(state), event));
                results++;
            }
        }
        assertEquals(JobState.values().length * all.size(), results);
    }

    static void assertRejected(RejectionReason expected, Transition<?> result) {
        Transition.Rejected<?> rejected = assertInstanceOf(Transition.Rejected.class, result);
        assertEquals(expected, rejected.reason(), rejected.message());
    }
}
