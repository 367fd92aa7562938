package io.hybridci.core.build;

import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobState;
import io.hybridci.core.statemachine.RejectionReason;
import io.hybridci.core.statemachine.Transition;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Derives a build's state from its jobs. Only the <b>latest attempt of each step key</b> counts:
 * a failed attempt that was retried does not fail the build. Rules, first match wins:
 * <ol>
 *   <li>No jobs → CREATED.</li>
 *   <li>Any job held by an agent (ASSIGNED, RUNNING, CANCELING, TIMING_OUT) → RUNNING.</li>
 *   <li>Any QUEUED → RUNNING if the build has started, else CREATED.</li>
 *   <li>Any BLOCKED → BLOCKED (nothing runs or is queued; the PENDING jobs wait on the approval).</li>
 *   <li>Any PENDING → RUNNING if the build has started, else CREATED (the state-reactor is about
 *       to queue or skip them).</li>
 *   <li>All terminal: any FAILED, TIMED_OUT or EXPIRED → FAILED; else any CANCELED → CANCELED;
 *       else PASSED.</li>
 * </ol>
 * "Started" means some latest attempt has left PENDING/QUEUED, or some key is on a later attempt.
 * SKIPPED never fails a build by itself: a job is skipped only because a dependency did not pass,
 * and that dependency's FAILED/CANCELED state already decides the build. A build whose jobs are
 * all SKIPPED or PASSED has PASSED.
 *
 * <p>The result depends only on the set of latest attempts, never on the order of the collection.
 */
public final class BuildRollup {

    private BuildRollup() {
    }

    /** The state a build with these jobs (all attempts, any order) is in. */
    public static BuildState of(Collection<Job> jobs) {
        Collection<Job> latest = latestByKey(jobs).values();
        if (latest.isEmpty()) {
            return BuildState.CREATED;
        }
        boolean started = latest.stream().anyMatch(job -> !job.state().isWaiting() || job.attempt() > 1);
        if (latest.stream().anyMatch(job -> job.state().isActive())) {
            return BuildState.RUNNING;
        }
        if (any(latest, JobState.QUEUED)) {
            return started ? BuildState.RUNNING : BuildState.CREATED;
        }
        if (any(latest, JobState.BLOCKED)) {
            return BuildState.BLOCKED;
        }
        if (any(latest, JobState.PENDING)) {
            return started ? BuildState.RUNNING : BuildState.CREATED;
        }
        if (latest.stream().anyMatch(job -> job.state().isFailure())) {
            return BuildState.FAILED;
        }
        if (any(latest, JobState.CANCELED)) {
            return BuildState.CANCELED;
        }
        return BuildState.PASSED;
    }

    /**
     * The build with its state re-derived from {@code jobs}: moved when the state changes,
     * {@link RejectionReason#ALREADY_APPLIED} when it is already right (no write needed).
     */
    public static Transition<Build> apply(Build build, Collection<Job> jobs, Instant at, String actor) {
        Objects.requireNonNull(build, "build");
        BuildState derived = of(jobs);
        if (derived == build.state()) {
            return Transition.rejected(RejectionReason.ALREADY_APPLIED,
                    "build " + build.id() + " is already " + derived);
        }
        return Transition.moved(build.withState(derived, at, actor));
    }

    /** The latest attempt of each step key (highest attempt; for equal attempts, highest version). */
    public static Map<String, Job> latestByKey(Collection<Job> jobs) {
        Objects.requireNonNull(jobs, "jobs");
        Comparator<Job> recency = Comparator.comparingInt(Job::attempt).thenComparingLong(Job::version);
        Map<String, Job> latest = new HashMap<>();
        for (Job job : jobs) {
            latest.merge(job.key(), job, (a, b) -> recency.compare(a, b) >= 0 ? a : b);
        }
        return latest;
    }

    private static boolean any(Collection<Job> jobs, JobState state) {
        return jobs.stream().anyMatch(job -> job.state() == state);
    }
}
