package io.hybridci.core.port;

import java.time.Instant;

/**
 * The slots of concurrency groups ({@code concurrency_group} / {@code concurrency: N}, docs/deployments.md):
 * at most N jobs of a group run at once across builds, the others wait in order. The state-reactor acquires
 * a slot before it queues a job of a group and releases it when the job ends.
 *
 * <p>Each group is one item changed by single-item conditional writes on its version; the decisions are
 * {@link ConcurrencyGroup#acquire} and {@link ConcurrencyGroup#release}, idempotent, so a re-delivered
 * stream record neither takes a second slot nor frees someone else's.
 */
public interface ConcurrencySlots {

    /**
     * Asks a slot of {@code group} (limited to {@code limit}) for {@code jobId}: held afterwards
     * ({@link ConcurrencyGroup#holds}) or queued among the waiters. Asking again is harmless.
     *
     * @return the group as stored after the request
     */
    ConcurrencyGroup acquire(String group, int limit, String jobId, Instant at);

    /**
     * Frees {@code jobId}'s slot of {@code group}, or its place among the waiters; a no-op for a job the
     * group does not know.
     *
     * @return the group as stored after the release: its waiters are the jobs to re-evaluate, oldest first
     */
    ConcurrencyGroup release(String group, String jobId, Instant at);

    /** The group as stored, {@link ConcurrencyGroup#empty} when never used. */
    ConcurrencyGroup find(String group);
}
