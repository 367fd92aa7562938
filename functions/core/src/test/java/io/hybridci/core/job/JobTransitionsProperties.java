package io.hybridci.core.job;

import io.hybridci.core.statemachine.RejectionReason;
import io.hybridci.core.statemachine.Transition;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Invariants of the job state machine over random event sequences. */
class JobTransitionsProperties {

    private static final String SYSTEM = "system:test";

    /** The kinds of event, so that a failing sequence prints readably and shrinks. */
    enum Verb {
        QUEUE, DISPATCH, ACCEPT, START, FINISH, CANCEL, CONFIRM_CANCELED, TIME_OUT, CONFIRM_TIMED_OUT, EXPIRE, SKIP,
        BLOCK, UNBLOCK, AGENT_LOST
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
                case AGENT_LOST -> new JobEvent.AgentLost(agent, at, "system:reaper");
            };
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
                        Arbitraries.of(Verb.class),
                        Arbitraries.of(JobFixtures.AGENT, JobFixtures.OTHER_AGENT),
                        Arbitraries.of(0, 1, 2, RetryPolicy.AGENT_LOST_EXIT_STATUS, 143),
                        Arbitraries.integers().between(0, 3))
                .as(Step::new);
        return step.list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<JobKind> kinds() {
        return Arbitraries.of(JobKind.class);
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

    @Property(tries = 500)
    void terminalStatesStayTerminal(@ForAll("kinds") JobKind kind, @ForAll("steps") List<Step> steps) {
        run(kind, steps, (before, event, result) -> {
            if (before.state().isTerminal()) {
                assertInstanceOf(Transition.Rejected.class, result, "a terminal job moved on " + event);
            }
        });
    }

    @Property(tries = 500)
    void everyMoveIsAnEdgeOfTheAllowedTable(@ForAll("kinds") JobKind kind, @ForAll("steps") List<Step> steps) {
        run(kind, steps, (before, event, result) -> {
            if (result instanceof Transition.Moved<Job>(Job after)) {
                assertTrue(JobTransitions.allowed().get(before.state()).contains(after.state()),
                        before.state() + " -> " + after.state() + " on " + event + " is not in the table");
            }
        });
    }

    @Property(tries = 500)
    void everyMoveBumpsTheVersionByOneAndStampsTheActor(@ForAll("kinds") JobKind kind,
                                                        @ForAll("steps") List<Step> steps) {
        run(kind, steps, (before, event, result) -> {
            if (result instanceof Transition.Moved<Job>(Job after)) {
                assertEquals(before.version() + 1, after.version());
                assertEquals(event.at(), after.updatedAt());
                assertEquals(event.actor(), after.lastActor());
                assertEquals(before.id(), after.id());
                assertEquals(before.attempt(), after.attempt());
            }
        });
    }

    @Property(tries = 500)
    void aRedeliveredEventIsRecognisedAsAlreadyApplied(@ForAll("kinds") JobKind kind,
                                                       @ForAll("steps") List<Step> steps) {
        run(kind, steps, (before, event, result) -> {
            if (result instanceof Transition.Moved<Job>(Job after)) {
                Transition<Job> again = JobTransitions.apply(after, event);
                Transition.Rejected<?> rejected = assertInstanceOf(Transition.Rejected.class, again,
                        "re-delivered " + event + " moved the job again");
                assertSame(RejectionReason.ALREADY_APPLIED, rejected.reason(), rejected.message());
            }
        });
    }

    @Property(tries = 500)
    void finishedAtIsSetExactlyOnTerminalJobsAndActiveJobsHaveAnAgent(@ForAll("kinds") JobKind kind,
                                                                      @ForAll("steps") List<Step> steps) {
        run(kind, steps, (before, event, result) -> {
            if (result instanceof Transition.Moved<Job>(Job after)) {
                assertEquals(after.state().isTerminal(), after.finishedAt() != null, after.toString());
                assertTrue(!after.state().isActive() || after.agentId() != null, after.toString());
                assertTrue(after.state() != JobState.BLOCKED || after.kind() == JobKind.BLOCK, after.toString());
            }
        });
    }
}
