package io.hybridci.core.job;

import io.hybridci.core.statemachine.Actors;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that can happen to a job, as verbs. Each event carries when it happened and who
 * caused it; events sent by an agent derive the actor ({@code agent:<id>}) from the agent id.
 * {@link JobTransitions#apply} switches over them exhaustively.
 */
public sealed interface JobEvent {

    /** When the event happened; becomes the job's {@code updatedAt} and the state's timestamp. */
    Instant at();

    /** Who caused it; becomes the job's {@code lastActor}. */
    String actor();

    /** Dependencies are satisfied: PENDING → QUEUED (state-reactor, or the planner for a job with none). */
    record Queue(Instant at, String actor) implements JobEvent {
        public Queue {
            requireAll(at, actor);
        }
    }

    /**
     * Dependencies are satisfied but every slot of the job's concurrency group is taken: PENDING stays
     * PENDING with reason {@code concurrency_group:<group>} (state-reactor). {@code Queue} clears the reason
     * when a slot is freed for it.
     */
    record WaitForSlot(String group, Instant at, String actor) implements JobEvent {
        public WaitForSlot {
            Objects.requireNonNull(group, "group");
            requireAll(at, actor);
        }
    }

    /** The job was sent to its SQS queue; records {@code dispatchedAt}, the state stays QUEUED. */
    record Dispatch(Instant at, String actor) implements JobEvent {
        public Dispatch {
            requireAll(at, actor);
        }
    }

    /** An agent won {@code accept}: QUEUED → ASSIGNED. */
    record Accept(String agentId, Instant at) implements JobEvent {
        public Accept {
            requireAll(at, agentId);
        }

        @Override
        public String actor() {
            return Actors.agent(agentId);
        }
    }

    /** The agent's {@code started} message: ASSIGNED → RUNNING. */
    record Start(String agentId, Instant at) implements JobEvent {
        public Start {
            requireAll(at, agentId);
        }

        @Override
        public String actor() {
            return Actors.agent(agentId);
        }
    }

    /**
     * The agent's {@code finished} message: PASSED for exit status 0, else FAILED; in CANCELING it
     * confirms the cancel, in TIMING_OUT the timeout.
     *
     * @param signal the signal that stopped the process, or {@code null}
     */
    record Finish(String agentId, int exitStatus, String signal, Instant at) implements JobEvent {
        public Finish {
            requireAll(at, agentId);
        }

        @Override
        public String actor() {
            return Actors.agent(agentId);
        }
    }

    /** A user or the build asks to stop the job: CANCELED at once if no agent holds it, else CANCELING. */
    record Cancel(String actor, String reason, Instant at) implements JobEvent {
        public Cancel {
            requireAll(at, actor);
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The process is gone after a cancel: CANCELING → CANCELED. */
    record ConfirmCanceled(Integer exitStatus, String signal, Instant at, String actor) implements JobEvent {
        public ConfirmCanceled {
            requireAll(at, actor);
        }
    }

    /** The reaper found the job past its time limit: RUNNING → TIMING_OUT. */
    record TimeOut(Instant at, String actor) implements JobEvent {
        public TimeOut {
            requireAll(at, actor);
        }
    }

    /** The process is gone after a timeout: TIMING_OUT → TIMED_OUT. */
    record ConfirmTimedOut(Integer exitStatus, String signal, Instant at, String actor) implements JobEvent {
        public ConfirmTimedOut {
            requireAll(at, actor);
        }
    }

    /** The reaper found the job queued past its limit: QUEUED → EXPIRED. */
    record Expire(Instant at, String actor) implements JobEvent {
        public Expire {
            requireAll(at, actor);
        }
    }

    /** A dependency did not pass: PENDING → SKIPPED. */
    record Skip(String reason, Instant at, String actor) implements JobEvent {
        public Skip {
            requireAll(at, actor);
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A block step's dependencies are satisfied, or a deploy step's environment requires an approval not given
     * yet: PENDING → BLOCKED, awaiting approval.
     */
    record Block(Instant at, String actor) implements JobEvent {
        public Block {
            requireAll(at, actor);
        }
    }

    /**
     * The deploy step may not run at all (its environment's protection refuses the build's branch): PENDING →
     * FAILED with {@code reason}, which says why (state-reactor).
     */
    record Refuse(String reason, Instant at, String actor) implements JobEvent {
        public Refuse {
            requireAll(at, actor);
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A person approves a block step: BLOCKED → PASSED; or a deploy step: BLOCKED → PENDING, after which the
     * state-reactor queues it once it holds its environment's slot.
     *
     * @param fieldEnv the approver's field values as {@code HYBRIDCI_FIELD_<KEY>} variables, already
     *                 validated against the step ({@code BlockApprovals}); they become the block job's
     *                 {@code env}, from where the state-reactor hands them to the steps that depend on it
     */
    record Unblock(String actor, Instant at, Map<String, String> fieldEnv) implements JobEvent {
        public Unblock {
            requireAll(at, actor);
            fieldEnv = Map.copyOf(Objects.requireNonNull(fieldEnv, "fieldEnv"));
        }

        /** An approval without field values. */
        public Unblock(String actor, Instant at) {
            this(actor, at, Map.of());
        }
    }

    /**
     * A person rejects a block step: BLOCKED → FAILED with {@code reason} (normally
     * {@link JobReason#REJECTED}), so the build fails and the steps after the gate are skipped.
     */
    record Reject(String actor, String reason, Instant at) implements JobEvent {
        public Reject {
            requireAll(at, actor);
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The reaper found {@code agentId} lost while it held the job: FAILED with exit status −1 and
     * reason {@code agent_lost}; a job already being canceled or timed out ends CANCELED or TIMED_OUT.
     */
    record AgentLost(String agentId, Instant at, String actor) implements JobEvent {
        public AgentLost {
            requireAll(at, actor);
            Objects.requireNonNull(agentId, "agentId");
        }
    }

    private static void requireAll(Instant at, String actorOrAgent) {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actorOrAgent, "actor");
    }
}
