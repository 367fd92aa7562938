package io.hybridci.core.job;

/**
 * Where a job is in its life. Each constant says who moves a job out of it; the full edge
 * table is {@link JobTransitions#allowed()} and {@code docs/state-machines.md}.
 */
public enum JobState {
    /**
     * Waiting on its {@code depends_on}. Moved by the state-reactor when its dependencies are
     * evaluated ({@code Queue} → QUEUED, {@code Block} → BLOCKED for a block step,
     * {@code Skip} → SKIPPED when one failed), or by a cancel (→ CANCELED).
     */
    PENDING,
    /**
     * Dispatch-ready; the state-reactor sends it to {@code jobs-<queue>} ({@code Dispatch}
     * records the time, the state stays). Moved by the api's {@code accept} (→ ASSIGNED),
     * the reaper ({@code Expire} → EXPIRED), or a cancel (→ CANCELED).
     */
    QUEUED,
    /**
     * An agent won the accept race. Moved by the job-updater on the agent's {@code started}
     * (→ RUNNING) or on a {@code finished} sent before starting (→ PASSED/FAILED), by a cancel
     * (→ CANCELING), or by the reaper when the agent is lost (→ FAILED, {@code agent_lost}).
     */
    ASSIGNED,
    /**
     * The agent runs the command. Moved by the job-updater on {@code finished}
     * (→ PASSED/FAILED), a cancel (→ CANCELING), the reaper's timeout (→ TIMING_OUT) or the
     * reaper when the agent is lost (→ FAILED, {@code agent_lost}).
     */
    RUNNING,
    /** Terminal: exit status 0, or an approved block step. Nobody moves it; a retry creates a new attempt. */
    PASSED,
    /** Terminal: non-zero exit status or a lost agent. Nobody moves it; a retry creates a new attempt. */
    FAILED,
    /**
     * Cancel requested; the agent is told through its ping directives. Moved by the job-updater on
     * the agent's {@code finished} or {@code ConfirmCanceled} (→ CANCELED), or by the reaper when
     * the agent is lost (→ CANCELED: the user wanted it stopped, and it is).
     */
    CANCELING,
    /** Terminal: canceled by a user or by the build being canceled. */
    CANCELED,
    /**
     * The reaper found it past {@code timeout_in_minutes}; the agent is told to stop it. Moved by
     * the job-updater on {@code finished} / {@code ConfirmTimedOut} (→ TIMED_OUT), or by the reaper
     * when the agent is lost (→ TIMED_OUT: the timeout is the first cause).
     */
    TIMING_OUT,
    /** Terminal: stopped after exceeding its time limit. */
    TIMED_OUT,
    /** Terminal: queued past its limit with no agent accepting it (set by the reaper). */
    EXPIRED,
    /** Terminal: never run because a dependency did not pass (set by the state-reactor). */
    SKIPPED,
    /**
     * A block step awaiting approval. Moved by a user through the api ({@code Unblock} → PASSED,
     * {@code Reject} → FAILED) or a cancel (→ CANCELED).
     */
    BLOCKED;

    /** Terminal states are absorbing: no event moves a job out of one. */
    public boolean isTerminal() {
        return switch (this) {
            case PASSED, FAILED, CANCELED, TIMED_OUT, EXPIRED, SKIPPED -> true;
            case PENDING, QUEUED, ASSIGNED, RUNNING, CANCELING, TIMING_OUT, BLOCKED -> false;
        };
    }

    /** Whether an agent holds the job (it was accepted and has not finished). */
    public boolean isActive() {
        return switch (this) {
            case ASSIGNED, RUNNING, CANCELING, TIMING_OUT -> true;
            case PENDING, QUEUED, PASSED, FAILED, CANCELED, TIMED_OUT, EXPIRED, SKIPPED, BLOCKED -> false;
        };
    }

    /** Whether the job has not been picked up yet: waiting on dependencies or in a queue. */
    public boolean isWaiting() {
        return this == PENDING || this == QUEUED;
    }

    /** Whether this outcome fails a build (SKIPPED does not: the failure that caused it already does). */
    public boolean isFailure() {
        return this == FAILED || this == TIMED_OUT || this == EXPIRED;
    }
}
