package io.hybridci.core.job;

/**
 * The {@code reason} values a job records when it ends other than by its own exit status, or while it
 * waits PENDING for a concurrency slot.
 * Strings, not an enum, because they travel unchanged in events, the API and the audit trail,
 * and a cancel may carry a caller's reason.
 */
public final class JobReason {

    /** The agent stopped heart-beating while it held the job. */
    public static final String AGENT_LOST = "agent_lost";
    /** A user canceled the job or its build. */
    public static final String CANCELED_BY_USER = "canceled_by_user";
    /** The build was canceled (e.g. superseded by a newer push). */
    public static final String BUILD_CANCELED = "build_canceled";
    /** A dependency did not pass, so the job was skipped. */
    public static final String DEPENDENCY_FAILED = "dependency_failed";
    /** The job ran past {@code timeout_in_minutes}. */
    public static final String TIMEOUT = "timeout";
    /** A person rejected a block step ({@code POST /api/v1/jobs/{id}/reject}). */
    public static final String REJECTED = "rejected";
    /** The job sat in its queue past the limit without an agent accepting it. */
    public static final String EXPIRED = "expired";

    /** The prefix of the reason of a PENDING job waiting for a slot of its concurrency group. */
    public static final String CONCURRENCY_GROUP_PREFIX = "concurrency_group:";

    /** Why a PENDING job waits: {@code concurrency_group:<group>} (all slots of the group are taken). */
    public static String waitingFor(String group) {
        return CONCURRENCY_GROUP_PREFIX + group;
    }

    private JobReason() {
    }
}
