package io.hybridci.core.port;

import io.hybridci.core.job.Job;
import java.util.List;
import java.util.Optional;

/** Where jobs live. Every change is a conditional write on the job's {@code version}. */
public interface JobRepository {

    /** A strongly consistent read: accept, cancel and job-updater decide from it. */
    Optional<Job> find(String jobId);

    /** Stores a new job unless one with its id exists (job ids are deterministic, so re-planning is a no-op). */
    WriteResult<Job> create(Job job);

    /** Replaces the job if the stored one still has {@code expectedVersion}. */
    WriteResult<Job> update(Job next, long expectedVersion);

    /** Every job of a build, every attempt, ordered by key then attempt. */
    List<Job> jobsOfBuild(String buildId);

    /** Jobs in an active state (QUEUED, ASSIGNED, RUNNING, CANCELING, TIMING_OUT), for the reaper. */
    List<Job> activeJobs();
}
