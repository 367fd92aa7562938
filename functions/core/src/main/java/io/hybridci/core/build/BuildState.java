package io.hybridci.core.build;

/**
 * Where a build is. Nobody moves a build directly: its state is always {@link BuildRollup#of}
 * of its jobs' latest attempts, recomputed by the state-reactor whenever one of its jobs changes.
 * So no build state is absorbing: retrying a job re-opens a FAILED build (→ RUNNING).
 */
public enum BuildState {
    /** Created, no job picked up yet (all PENDING/QUEUED, or none planned yet). */
    CREATED,
    /** Some job is held by an agent, or the build has progressed and more jobs wait to run. */
    RUNNING,
    /** Nothing runs or is queued, and a block step awaits approval. */
    BLOCKED,
    /** Every latest attempt ended, none failed or was canceled. */
    PASSED,
    /** Every latest attempt ended and one FAILED, TIMED_OUT or EXPIRED. */
    FAILED,
    /** Every latest attempt ended, none failed, and one was CANCELED. */
    CANCELED;

    /** Whether every job has finished (for now: a retry may re-open it). */
    public boolean isFinished() {
        return switch (this) {
            case PASSED, FAILED, CANCELED -> true;
            case CREATED, RUNNING, BLOCKED -> false;
        };
    }
}
