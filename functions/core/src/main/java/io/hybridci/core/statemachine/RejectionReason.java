package io.hybridci.core.statemachine;

/**
 * Why a state machine refused an event. Handlers switch on it to decide between success
 * (a duplicate), a client error (409 for the API) and dropping a stale event.
 */
public enum RejectionReason {
    /** The event re-states what the entity already records: an at-least-once re-delivery; treat as success. */
    ALREADY_APPLIED,
    /** The entity is in a terminal state; terminal states are absorbing. */
    TERMINAL,
    /** The table has no edge from the current state for this event (often a stale or out-of-order event). */
    ILLEGAL_TRANSITION,
    /** The event comes from (or names) an agent other than the one holding the job: e.g. it lost the accept race. */
    WRONG_AGENT,
    /** The event names a job other than the one the agent holds. */
    WRONG_JOB,
    /** The agent already holds another job. */
    AGENT_BUSY,
    /** A manual retry of a job that has not finished. */
    NOT_FINISHED,
    /** A retry of an attempt that already has a successor ({@code retriedBy} is set). */
    ALREADY_RETRIED,
    /** The job's retry policy (or its kind or outcome) does not allow this retry. */
    RETRY_NOT_ALLOWED,
    /** A deployment to a gated environment was started without an approval. */
    APPROVAL_REQUIRED
}
