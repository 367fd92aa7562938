package io.hybridci.core.updates;

/**
 * Why the job-updater refused an agent message for security or integrity reasons. The
 * {@link #code()} is what the {@code SecurityLog} (and so the audit chain) records.
 */
public enum RejectionCode {
    /** Missing signature, no session for the agent, or no accepted key produces the signature. */
    BAD_SIGNATURE("bad_signature"),
    /** The signed timestamp is more than {@link AgentUpdates#MAX_CLOCK_SKEW} away from our clock. */
    STALE_TIMESTAMP("stale_timestamp"),
    /** The (job, seq) was already processed under another SQS message id: a captured message sent again. */
    REPLAY("replay"),
    /** The sending agent does not hold the job (or names another attempt of it). */
    NOT_ASSIGNED("not_assigned"),
    /** Not JSON, not one of the agent-* schemas, or the timestamp attribute missing or unreadable. */
    MALFORMED("malformed"),
    /** No job with the message's id. */
    UNKNOWN_JOB("unknown_job");

    private final String code;

    RejectionCode(String code) {
        this.code = code;
    }

    /** The snake_case code stored in the security log. */
    public String code() {
        return code;
    }
}
