package io.hybridci.core.updates;

import io.hybridci.core.statemachine.RejectionReason;

import java.util.Objects;

/**
 * What {@link AgentUpdates} did with one message. Every outcome but {@link Retry} acknowledges
 * the message (SQS deletes it); {@link Retry} leaves it for SQS to deliver again.
 */
public sealed interface UpdateOutcome {

    /** Whether the message is done with, or must be delivered again. */
    enum Disposition { ACK, RETRY }

    Disposition disposition();

    /** The message took effect now: a transition was written or a log chunk stored. */
    record Applied(String what) implements UpdateOutcome {
        public Applied {
            Objects.requireNonNull(what, "what");
        }

        @Override
        public Disposition disposition() {
            return Disposition.ACK;
        }
    }

    /** The message's effect was already there: an SQS re-delivery or a re-sent chunk. */
    record AlreadyApplied(String what) implements UpdateOutcome {
        public AlreadyApplied {
            Objects.requireNonNull(what, "what");
        }

        @Override
        public Disposition disposition() {
            return Disposition.ACK;
        }
    }

    /**
     * Authentic, but the job's state machine refused it (e.g. {@code finished} for a job the reaper
     * already failed as agent_lost): stale news, logged and dropped, never retried.
     */
    record Ignored(RejectionReason reason, String message) implements UpdateOutcome {
        public Ignored {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public Disposition disposition() {
            return Disposition.ACK;
        }
    }

    /**
     * Refused for security or integrity and written to the security log. Acknowledged: a forged
     * message retried forever would block its FIFO group and only ever fail again.
     */
    record Rejected(RejectionCode code, String detail) implements UpdateOutcome {
        public Rejected {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public Disposition disposition() {
            return Disposition.ACK;
        }
    }

    /** A transient failure (a store unreachable, a write race lost too often): deliver again. */
    record Retry(String cause) implements UpdateOutcome {
        public Retry {
            Objects.requireNonNull(cause, "cause");
        }

        @Override
        public Disposition disposition() {
            return Disposition.RETRY;
        }
    }
}
