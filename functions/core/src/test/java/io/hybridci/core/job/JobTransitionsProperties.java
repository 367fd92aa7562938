package io.hybridci.core.job;

import io.hybridci.core.statemachine.RejectionReason;
import io.hybridci.core.statemachine.Transition;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/** Invariants of the job state machine over random event sequences. */
class JobTransitionsProperties {

    private static final int EXAMPLES = 500;
    private static final String SYSTEM = "system:test";

    /** The kinds of event, so that a failing sequence prints readably and shrinks. */
    enum Verb {
        QUEUE, DISPATCH, ACCEPT, START, FINISH, CANCEL, CONFIRM_CANCELED, TIME_OUT, CONFIRM_TIMED_OUT, EXPIRE, SKIP,
        BLOCK, UNBLOCK, REJECT, AGENT_LOST, WAIT_FOR_SLOT, REFUSE
    }

    /** One generated event: a verb, the agent it names, an exit status, and seconds after the previous one. */
    record Step(Verb verb, String agent, int exitStatus, int delaySeconds) {
        JobEvent toEvent(Instant at) {
            return switch (verb) {
                case QUEUE -> new JobEvent.Queue(at, SYSTEM);
                case DISPATCH -> new JobEvent.Dispatch(at, SYSTEM);
                case ACCEPT -> new JobEvent.Accept(agent, at);
                case START -> new JobEvent.Start(agent, at);
                case FINISH -> new JobEvent.Finish(agent, exitStatus, null, at);
                case CANCEL -> new JobEvent.Cancel("user:u", JobReason.CANCELED_BY_USER, at);
                case CONFIRM_CANCELED -> new JobEvent.ConfirmCanceled(exitStatus, "SIGTERM", at, SYSTEM);
                case TIME_OUT -> new JobEvent.TimeOut(at, SYSTEM);
                case CONFIRM_TIMED_OUT -> new JobEvent.ConfirmTimedOut(exitStatus, "SIGTERM", at, SYSTEM);
                case EXPIRE -> new JobEvent.Expire(at, SYSTEM);
                case SKIP -> new JobEvent.Skip(JobReason.DEPENDENCY_FAILED, at, SYSTEM);
                case BLOCK -> new JobEvent.Block(at, SYSTEM);
                case UNBLOCK -> new JobEvent.Unblock("user:u", at);
                case REJECT -> new JobEvent.Reject("user:u", JobReason.REJECTED, at);
                case AGENT_LOST -> new JobEvent.AgentLost(agent, at, "system:reaper");
                case WAIT_FOR_SLOT -> new JobEvent.WaitForSlot("deploy-production", at, SYSTEM);
                case REFUSE -> new JobEvent.Refuse("environment \"production\" allows deploys only from branches main",
                        at, SYSTEM);
            };
        }
    }

    /** Up to 40 events, each verb, agent, exit status and delay drawn independently. */
    static Gen<List<Step>> steps() {
        Gen<Step> step = Generate.enumValues(Verb.class).zip(
                Generate.pick(List.of(JobFixtures.AGENT, JobFixtures.OTHER_AGENT)),
                Generate.pick(List.of(0, 1, 2, RetryPolicy.AGENT_LOST_EXIT_STATUS, 143)),
                integers().between(0, 3),
                Step::new);
        return lists().of(step).ofSizeBetween(0, 40);
    }

    static Gen<JobKind> kinds() {
        return Generate.enumValues(JobKind.class);
    }

    /** Runs the sequence, checking {@code check} on every (before, event, result) triple. */
    private static void run(JobKind kind, List<Step> steps, StepCheck check) {
        Job job = JobFixtures.planned(kind);
        Instant at = JobFixtures.T0;
        for (Step step : steps) {
            at = at.plusSeconds(step.delaySeconds());
            JobEvent event = step.toEvent(at);
            Transition<Job> result = JobTransitions.apply(job, event);
            assertNotNull(result);
            check.accept(job, event, result);
            if (result instanceof Transition.Moved<Job>(Job next)) {
                job = next;
            }
        }
    }

    @FunctionalInterface
    interface StepCheck {
        void accept(Job before, JobEvent event, Transition<Job> result);
    }

    /** Checks {@code check} on every step of {@link #EXAMPLES} random (kind, sequence) pairs. */
    private static void forAllSequences(StepCheck check) {
        qt().withExamples(EXAMPLES).forAll(kinds(), steps()).checkAssert((kind, steps) -> run(kind, steps, check));
    }

    @Test
    void terminalStatesStayTerminal() {
        forAllSequences((before, event, result) -> {
            if (before.state().isTerminal()) {
                assertInstanceOf(Transition.Rejected.class, result, "a terminal job moved on " + event);
            }
        });
    }

    @Test
    void everyMoveIsAnEdgeOfTheAllowedTable() {
        forAllSequences((before, event, result) -> {
            if (result instanceof Transition.Moved<Job>(Job after)) {
                assertTrue(JobTransitions.allowed().get(before.state()).contains(after.state()),
                        before.state() + " -> " + after.state() + " on " + event + " is not in the table");
            }
        });
    }

    @Test
    void everyMoveBumpsTheVersionByOneAndStampsTheActor() {
        forAllSequences((before, event, result) -> {
            if (result instanceof Transition.Moved<Job>(Job after)) {
                assertEquals(before.version() + 1, after.version());
                assertEquals(event.at(), after.updatedAt());
                assertEquals(event.actor(), after.lastActor());
                assertEquals(before.id(), after.id());
                assertEquals(before.attempt(), after.attempt());
            }
        });
    }

    @Test
    void aRedeliveredEventIsRecognisedAsAlreadyApplied() {
        forAllSequences((before, event, result) -> {
            if (result instanceof Transition.Moved<Job>(Job after)) {
                Transition<Job> again = JobTransitions.apply(after, event);
                Transition.Rejected<?> rejected = assertInstanceOf(Transition.Rejected.class, again,
                        "re-delivered " + event + " moved the job again");
                assertSame(RejectionReason.ALREADY_APPLIED, rejected.reason(), rejected.message());
            }
        });
    }

    @Test
    void finishedAtIsSetExactlyOnTerminalJobsAndActiveJobsHaveAnAgent() {
        forAllSequences((before, event, result) -> {
            if (result instanceof Transition.Moved<Job>(Job after)) {
                assertEquals(after.state().isTerminal(), after.finishedAt() != null, after.toString());
                assertTrue(!after.state().isActive() || after.agentId() != null, after.toString());
                assertTrue(after.state() != JobState.BLOCKED || after.kind() == JobKind.BLOCK
                        || after.kind() == JobKind.DEPLOY, after.toString());
            }
        });
    }
}
