package io.hybridci.core.planning;

import io.hybridci.core.build.Build;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobReason;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.JobTransitions;
import io.hybridci.core.port.BuildRepository;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.Page;
import io.hybridci.core.statemachine.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Stops the older, unfinished builds of a branch when a newer build of it is created: their PENDING jobs are
 * SKIPPED, every other unfinished job gets {@link JobEvent.Cancel} (QUEUED and BLOCKED → CANCELED at once;
 * ASSIGNED and RUNNING → CANCELING, the agent stops at its next ping), all with reason
 * {@link JobReason#BUILD_CANCELED}. Each is a conditional write on the job's version; a job that moved in
 * between is re-read and decided again, and one that finished meanwhile is left alone. Running it twice
 * (a re-delivered push) changes nothing more.
 *
 * <p>"Older" is "created before" by the control plane's clock: GitHub may deliver two pushes out of order,
 * and then the older commit's build (created second) would cancel the newer one. Pushes to one branch
 * seconds apart are rare enough, and a cancelled build is retried from the dashboard.
 */
public final class SupersededBuilds {

    /** How far back to look: older unfinished builds than this are left to the reaper's limits. */
    static final int LOOK_BACK = 25;
    private static final int MAX_WRITE_ATTEMPTS = 5;

    private final BuildRepository builds;
    private final JobRepository jobs;

    public SupersededBuilds(BuildRepository builds, JobRepository jobs) {
        this.builds = Objects.requireNonNull(builds, "builds");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
    }

    /**
     * Cancels what is left of the builds of {@code newer}'s branch created before it.
     *
     * @return the ids of the jobs this call moved
     */
    public List<String> cancelOlderThan(Build newer, Instant now, String actor) {
        if (newer.branch() == null) {
            return List.of();
        }
        Page<Build> recent = builds.listOnBranchNewestFirst(newer.repo(), newer.branch(), LOOK_BACK, Optional.empty());
        List<String> moved = new ArrayList<>();
        for (Build older : recent.items()) {
            if (older.id().equals(newer.id()) || !older.createdAt().isBefore(newer.createdAt()) || older.state().isFinished()) {
                continue;
            }
            for (Job job : jobs.jobsOfBuild(older.id())) {
                if (!job.state().isTerminal() && stop(job.id(), now, actor)) {
                    moved.add(job.id());
                }
            }
        }
        return moved;
    }

    /** True when this call moved the job; false when it was already stopping or finished. */
    private boolean stop(String jobId, Instant now, String actor) {
        for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
            Optional<Job> found = jobs.find(jobId);
            if (found.isEmpty()) {
                return false;
            }
            Job job = found.get();
            JobEvent event = job.state() == JobState.PENDING
                    ? new JobEvent.Skip(JobReason.BUILD_CANCELED, now, actor)
                    : new JobEvent.Cancel(actor, JobReason.BUILD_CANCELED, now);
            switch (JobTransitions.apply(job, event)) {
                case Transition.Rejected<Job> _ -> {
                    // Finished, or already CANCELING: nothing left to stop.
                    return false;
                }
                case Transition.Moved<Job> next -> {
                    if (jobs.update(next.next(), job.version()).written()) {
                        return true;
                    }
                }
            }
        }
        throw new IllegalStateException("job " + jobId + " kept changing while its superseded build was cancelled");
    }
}
