package io.hybridci.core.build;

import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobReason;
import io.hybridci.core.job.JobState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides whether a PENDING job can run, from the latest attempt of each of its dependencies.
 * <ul>
 *   <li>A dependency that ended other than PASSED (FAILED, TIMED_OUT, EXPIRED, CANCELED, SKIPPED)
 *       and has not been retried → {@code Skip(dependency_failed)}, at once, even if other
 *       dependencies still run: the job can no longer run, and the build fails sooner.</li>
 *   <li>One that was retried ({@code retriedBy} set; the map is stale) or has not finished, or is
 *       missing from the map → {@code Waiting}.</li>
 *   <li>All PASSED → {@code Ready}.</li>
 * </ul>
 * Skipping is one-way: a manual retry of the failed dependency does not un-skip its dependents.
 */
public final class Dependencies {

    private Dependencies() {
    }

    /**
     * @param pending the job to decide about
     * @param latestByKey the latest attempt of each step key of the same build, see
     *                    {@link BuildRollup#latestByKey}
     */
    public static DependencyDecision evaluate(Job pending, Map<String, Job> latestByKey) {
        Objects.requireNonNull(pending, "pending");
        Objects.requireNonNull(latestByKey, "latestByKey");
        if (pending.state() != JobState.PENDING) {
            return new DependencyDecision.NotPending();
        }
        List<String> waitingOn = new ArrayList<>();
        for (String key : pending.dependsOn()) {
            Job dependency = latestByKey.get(key);
            if (dependency == null || dependency.isRetried() || !dependency.state().isTerminal()) {
                waitingOn.add(key);
            } else if (dependency.state() != JobState.PASSED) {
                return new DependencyDecision.Skip(JobReason.DEPENDENCY_FAILED, key);
            }
        }
        return waitingOn.isEmpty() ? new DependencyDecision.Ready() : new DependencyDecision.Waiting(waitingOn);
    }
}
