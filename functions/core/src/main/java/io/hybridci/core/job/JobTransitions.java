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
import io.hybridci.core.job.JobEvent.Reject;
import io.hybridci.core.job.JobEvent.Skip;
import io.hybridci.core.job.JobEvent.Start;
import io.hybridci.core.job.JobEvent.TimeOut;
import io.hybridci.core.job.JobEvent.Unblock;
import io.hybridci.core.statemachine.RejectionReason;
import io.hybridci.core.statemachine.Transition;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

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

/**
 * The job state machine: {@link #apply} turns a job and an event into the next job or a typed
 * rejection. Pure and deterministic, so the same event applied to the same item always gives the
 * same result, whichever function or retry applies it.
 *
 * <pre>
 * from        event                          to
 * PENDING     Queue                          QUEUED (clears a WaitForSlot reason)
 * PENDING     WaitForSlot                    PENDING (reason concurrency_group:&lt;group&gt;)
 * PENDING     Block (block, deploy steps)    BLOCKED
 * PENDING     Refuse (deploy steps)          FAILED (reason: why the environment refused)
 * PENDING     Skip                           SKIPPED
 * PENDING     Cancel                         CANCELED
 * QUEUED      Dispatch                       QUEUED (records dispatchedAt)
 * QUEUED      Accept                         ASSIGNED
 * QUEUED      Expire                         EXPIRED
 * QUEUED      Cancel                         CANCELED
 * ASSIGNED    Start                          RUNNING
 * ASSIGNED    Finish (failed before start)   PASSED | FAILED
 * ASSIGNED    Cancel                         CANCELING
 * ASSIGNED    AgentLost                      FAILED (exit -1, agent_lost)
 * RUNNING     Finish                         PASSED (exit 0) | FAILED
 * RUNNING     Cancel                         CANCELING
 * RUNNING     TimeOut                        TIMING_OUT
 * RUNNING     AgentLost                      FAILED (exit -1, agent_lost)
 * CANCELING   ConfirmCanceled | Finish       CANCELED
 * CANCELING   AgentLost                      CANCELED (exit -1; the cancel is what the user asked for)
 * TIMING_OUT  ConfirmTimedOut | Finish       TIMED_OUT
 * TIMING_OUT  AgentLost                      TIMED_OUT (exit -1; the timeout is the first cause)
 * BLOCKED     Unblock                        PASSED (env = the approver's field values); a deploy step PENDING
 * BLOCKED     Reject                         FAILED (reason rejected)
 * BLOCKED     Cancel                         CANCELED
 * </pre>
 *
 * <p>Checks run in this order: an event that re-states what the job already records is
 * {@link RejectionReason#ALREADY_APPLIED} (handlers treat it as success); then a terminal job
 * rejects everything ({@link RejectionReason#TERMINAL}); then an agent event from an agent that
 * does not hold the job is {@link RejectionReason#WRONG_AGENT}; anything else off the table is
 * {@link RejectionReason#ILLEGAL_TRANSITION}.
 */
public final class JobTransitions {

    private static final Map<JobState, Set<JobState>> ALLOWED = buildAllowed();

    private JobTransitions() {
    }

    /**
     * The edges of the table above as data (a state's own entry is there only where an event
     * keeps the state and changes the job: QUEUED's {@code Dispatch}, PENDING's {@code WaitForSlot}).
     */
    public static Map<JobState, Set<JobState>> allowed() {
        return ALLOWED;
    }

    /** Applies {@code event} to {@code job}. Never throws for a legal-but-unexpected event. */
    public static Transition<Job> apply(Job job, JobEvent event) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(event, "event");
        return switch (event) {
            case Queue queue -> queue(job, queue);
            case JobEvent.WaitForSlot wait -> waitForSlot(job, wait);
            case Dispatch dispatch -> dispatch(job, dispatch);
            case Accept accept -> accept(job, accept);
            case Start start -> start(job, start);
            case Finish finish -> finish(job, finish);
            case Cancel cancel -> cancel(job, cancel);
            case ConfirmCanceled confirm -> confirmCanceled(job, confirm);
            case TimeOut timeOut -> timeOut(job, timeOut);
            case ConfirmTimedOut confirm -> confirmTimedOut(job, confirm);
            case Expire expire -> expire(job, expire);
            case Skip skip -> skip(job, skip);
            case JobEvent.Refuse refuse -> refuse(job, refuse);
            case Block block -> block(job, block);
            case Unblock unblock -> unblock(job, unblock);
            case Reject reject -> reject(job, reject);
            case AgentLost lost -> agentLost(job, lost);
        };
    }

    private static Transition<Job> queue(Job job, Queue event) {
        if (job.state() == QUEUED) {
            return duplicate(job, event);
        }
        if (job.state() != PENDING) {
            return offTable(job, event);
        }
        if (job.kind() == JobKind.BLOCK) {
            return Transition.rejected(RejectionReason.ILLEGAL_TRANSITION,
                    "job " + job.id() + " is a block step: it is blocked, not queued");
        }
        return moved(job.next(event.at(), event.actor()).state(QUEUED).queuedAt(event.at()).reason(null));
    }

    private static Transition<Job> waitForSlot(Job job, JobEvent.WaitForSlot event) {
        String reason = JobReason.waitingFor(event.group());
        if (job.state() == PENDING && reason.equals(job.reason())) {
            return duplicate(job, event);
        }
        if (job.state() != PENDING) {
            return offTable(job, event);
        }
        return moved(job.next(event.at(), event.actor()).reason(reason));
    }

    private static Transition<Job> dispatch(Job job, Dispatch event) {
        if (job.state() != QUEUED) {
            return offTable(job, event);
        }
        // A re-dispatch (reaper: stuck dispatch) carries a later time and is a real change;
        // the same time again is a re-delivered stream record.
        if (event.at().equals(job.dispatchedAt())) {
            return duplicate(job, event);
        }
        return moved(job.next(event.at(), event.actor()).dispatchedAt(event.at()));
    }

    private static Transition<Job> accept(Job job, Accept event) {
        if (job.state() == ASSIGNED && event.agentId().equals(job.agentId())) {
            return duplicate(job, event);
        }
        if (job.state().isTerminal()) {
            return terminal(job, event);
        }
        if (job.agentId() != null && !job.agentId().equals(event.agentId())) {
            return wrongAgent(job, event.agentId());
        }
        if (job.state() != QUEUED) {
            return offTable(job, event);
        }
        return moved(job.next(event.at(), event.actor()).state(ASSIGNED).agentId(event.agentId())
                .assignedAt(event.at()));
    }

    private static Transition<Job> start(Job job, Start event) {
        if (job.state() == RUNNING && event.agentId().equals(job.agentId())) {
            return duplicate(job, event);
        }
        if (job.state().isTerminal()) {
            return terminal(job, event);
        }
        if (job.agentId() != null && !job.agentId().equals(event.agentId())) {
            return wrongAgent(job, event.agentId());
        }
        if (job.state() != ASSIGNED) {
            return offTable(job, event);
        }
        return moved(job.next(event.at(), event.actor()).state(RUNNING).startedAt(event.at()));
    }

    private static Transition<Job> finish(Job job, Finish event) {
        if (job.state().isTerminal()) {
            boolean sameReport = event.agentId().equals(job.agentId())
                    && Integer.valueOf(event.exitStatus()).equals(job.exitStatus());
            return sameReport ? duplicate(job, event) : terminal(job, event);
        }
        if (job.agentId() != null && !job.agentId().equals(event.agentId())) {
            return wrongAgent(job, event.agentId());
        }
        Job.Builder next = job.next(event.at(), event.actor()).exitStatus(event.exitStatus())
                .signal(event.signal()).finishedAt(event.at());
        return switch (job.state()) {
            case ASSIGNED, RUNNING -> moved(next.state(event.exitStatus() == 0 ? PASSED : FAILED));
            // The process ended because we asked it to: the exit status is recorded but the
            // outcome stays the cancel / the timeout, even if the command happened to exit 0.
            case CANCELING -> moved(next.state(CANCELED));
            case TIMING_OUT -> moved(next.state(TIMED_OUT));
            case PENDING, QUEUED, BLOCKED, PASSED, FAILED, CANCELED, TIMED_OUT, EXPIRED, SKIPPED ->
                    offTable(job, event);
        };
    }

    private static Transition<Job> cancel(Job job, Cancel event) {
        if (job.state() == CANCELING || job.state() == CANCELED) {
            return duplicate(job, event);
        }
        return switch (job.state()) {
            // Nobody runs it yet: nothing to wait for.
            case PENDING, QUEUED, BLOCKED -> moved(job.next(event.at(), event.actor()).state(CANCELED)
                    .reason(event.reason()).finishedAt(event.at()));
            // An agent holds it: it must be told (ping directive) and confirm.
            case ASSIGNED, RUNNING -> moved(job.next(event.at(), event.actor()).state(CANCELING)
                    .reason(event.reason()));
            case TIMING_OUT -> Transition.rejected(RejectionReason.ILLEGAL_TRANSITION,
                    "job " + job.id() + " is already being stopped for its timeout");
            case PASSED, FAILED, CANCELED, CANCELING, TIMED_OUT, EXPIRED, SKIPPED -> terminal(job, event);
        };
    }

    private static Transition<Job> confirmCanceled(Job job, ConfirmCanceled event) {
        if (job.state() == CANCELED) {
            return duplicate(job, event);
        }
        if (job.state() != CANCELING) {
            return offTable(job, event);
        }
        return moved(stopped(job.next(event.at(), event.actor()).state(CANCELED), event.exitStatus(),
                event.signal(), job, event.at()));
    }

    private static Transition<Job> timeOut(Job job, TimeOut event) {
        if (job.state() == TIMING_OUT) {
            return duplicate(job, event);
        }
        if (job.state() != RUNNING) {
            return offTable(job, event);
        }
        return moved(job.next(event.at(), event.actor()).state(TIMING_OUT).reason(JobReason.TIMEOUT));
    }

    private static Transition<Job> confirmTimedOut(Job job, ConfirmTimedOut event) {
        if (job.state() == TIMED_OUT) {
            return duplicate(job, event);
        }
        if (job.state() != TIMING_OUT) {
            return offTable(job, event);
        }
        return moved(stopped(job.next(event.at(), event.actor()).state(TIMED_OUT), event.exitStatus(),
                event.signal(), job, event.at()));
    }

    private static Transition<Job> expire(Job job, Expire event) {
        if (job.state() == EXPIRED) {
            return duplicate(job, event);
        }
        if (job.state() != QUEUED) {
            return offTable(job, event);
        }
        return moved(job.next(event.at(), event.actor()).state(EXPIRED).reason(JobReason.EXPIRED)
                .finishedAt(event.at()));
    }

    private static Transition<Job> skip(Job job, Skip event) {
        if (job.state() == SKIPPED) {
            return duplicate(job, event);
        }
        if (job.state() != PENDING) {
            return offTable(job, event);
        }
        return moved(job.next(event.at(), event.actor()).state(SKIPPED).reason(event.reason())
                .finishedAt(event.at()));
    }

    private static Transition<Job> refuse(Job job, JobEvent.Refuse event) {
        if (job.state() == FAILED && event.reason().equals(job.reason())) {
            return duplicate(job, event);
        }
        if (job.state() != PENDING) {
            return offTable(job, event);
        }
        return moved(job.next(event.at(), event.actor()).state(FAILED).reason(event.reason())
                .finishedAt(event.at()));
    }

    private static Transition<Job> block(Job job, Block event) {
        if (job.state() == BLOCKED) {
            return duplicate(job, event);
        }
        if (job.state() != PENDING) {
            return offTable(job, event);
        }
        if (job.kind() != JobKind.BLOCK && job.kind() != JobKind.DEPLOY) {
            return Transition.rejected(RejectionReason.ILLEGAL_TRANSITION,
                    "job " + job.id() + " is a " + job.kind() + " step: only block and deploy steps are blocked");
        }
        return moved(job.next(event.at(), event.actor()).state(BLOCKED));
    }

    private static Transition<Job> unblock(Job job, Unblock event) {
        if (job.state() == PASSED && job.kind() == JobKind.BLOCK) {
            return duplicate(job, event);
        }
        if (job.state() == PENDING && job.kind() == JobKind.DEPLOY && event.actor().equals(job.lastActor())) {
            // This approval already released the deploy job (a repeated call or re-delivery).
            return duplicate(job, event);
        }
        if (job.state() != BLOCKED) {
            return offTable(job, event);
        }
        if (job.kind() == JobKind.DEPLOY) {
            // Approved: it still has to run, once it holds its environment's slot (state-reactor).
            return moved(job.next(event.at(), event.actor()).state(PENDING).reason(null));
        }
        // A block step has no command, so its env is free to carry what the approver entered.
        Map<String, String> env = new TreeMap<>(job.env());
        env.putAll(event.fieldEnv());
        return moved(job.next(event.at(), event.actor()).state(PASSED).env(env).finishedAt(event.at()));
    }

    private static Transition<Job> reject(Job job, Reject event) {
        if (job.state() == FAILED && (job.kind() == JobKind.BLOCK || job.kind() == JobKind.DEPLOY)
                && event.reason().equals(job.reason())) {
            return duplicate(job, event);
        }
        if (job.state() != BLOCKED) {
            return offTable(job, event);
        }
        return moved(job.next(event.at(), event.actor()).state(FAILED).reason(event.reason())
                .finishedAt(event.at()));
    }

    private static Transition<Job> agentLost(Job job, AgentLost event) {
        if (job.state().isTerminal()) {
            boolean alreadyLost = event.agentId().equals(job.agentId())
                    && Integer.valueOf(RetryPolicy.AGENT_LOST_EXIT_STATUS).equals(job.exitStatus());
            return alreadyLost ? duplicate(job, event) : terminal(job, event);
        }
        if (job.agentId() != null && !job.agentId().equals(event.agentId())) {
            // The reaper's view is stale: another agent holds the job now.
            return wrongAgent(job, event.agentId());
        }
        Job.Builder next = job.next(event.at(), event.actor()).exitStatus(RetryPolicy.AGENT_LOST_EXIT_STATUS)
                .finishedAt(event.at());
        return switch (job.state()) {
            case ASSIGNED, RUNNING -> moved(next.state(FAILED).reason(JobReason.AGENT_LOST));
            // Keep the reason (canceled_by_user, timeout): it is the first cause and decides retries.
            case CANCELING -> moved(next.state(CANCELED));
            case TIMING_OUT -> moved(next.state(TIMED_OUT));
            case PENDING, QUEUED, BLOCKED, PASSED, FAILED, CANCELED, TIMED_OUT, EXPIRED, SKIPPED ->
                    offTable(job, event);
        };
    }

    /** Records how a stopped process ended, keeping any earlier report when the event has none. */
    private static Job.Builder stopped(Job.Builder next, Integer exitStatus, String signal, Job before,
                                       Instant at) {
        return next.exitStatus(exitStatus != null ? exitStatus : before.exitStatus())
                .signal(signal != null ? signal : before.signal())
                .finishedAt(at);
    }

    private static Transition<Job> moved(Job.Builder next) {
        return Transition.moved(next.build());
    }

    private static Transition<Job> duplicate(Job job, JobEvent event) {
        return Transition.rejected(RejectionReason.ALREADY_APPLIED,
                name(event) + " already applied to job " + job.id() + " (" + job.state() + ")");
    }

    private static Transition<Job> terminal(Job job, JobEvent event) {
        return Transition.rejected(RejectionReason.TERMINAL,
                "job " + job.id() + " is " + job.state() + ", a terminal state; " + name(event) + " ignored");
    }

    private static Transition<Job> wrongAgent(Job job, String agentId) {
        return Transition.rejected(RejectionReason.WRONG_AGENT,
                "job " + job.id() + " is held by agent " + job.agentId() + ", not " + agentId);
    }

    private static Transition<Job> offTable(Job job, JobEvent event) {
        if (job.state().isTerminal()) {
            return terminal(job, event);
        }
        return Transition.rejected(RejectionReason.ILLEGAL_TRANSITION,
                name(event) + " does not apply to job " + job.id() + " in state " + job.state());
    }

    private static String name(JobEvent event) {
        return event.getClass().getSimpleName();
    }

    private static Map<JobState, Set<JobState>> buildAllowed() {
        Map<JobState, Set<JobState>> table = new EnumMap<>(JobState.class);
        for (JobState state : JobState.values()) {
            table.put(state, Collections.unmodifiableSet(EnumSet.noneOf(JobState.class)));
        }
        table.put(PENDING, Collections.unmodifiableSet(EnumSet.of(PENDING, QUEUED, BLOCKED, SKIPPED, CANCELED, FAILED)));
        table.put(QUEUED, Collections.unmodifiableSet(EnumSet.of(QUEUED, ASSIGNED, EXPIRED, CANCELED)));
        table.put(ASSIGNED, Collections.unmodifiableSet(EnumSet.of(RUNNING, PASSED, FAILED, CANCELING)));
        table.put(RUNNING, Collections.unmodifiableSet(EnumSet.of(PASSED, FAILED, CANCELING, TIMING_OUT)));
        table.put(CANCELING, Collections.unmodifiableSet(EnumSet.of(CANCELED)));
        table.put(TIMING_OUT, Collections.unmodifiableSet(EnumSet.of(TIMED_OUT)));
        table.put(BLOCKED, Collections.unmodifiableSet(EnumSet.of(PASSED, FAILED, CANCELED, PENDING)));
        return Collections.unmodifiableMap(table);
    }
}
