package io.hybridci.core.port.inmemory;

import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobState;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.WriteResult;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** {@link JobRepository} in memory, for unit tests of the use cases. */
public final class InMemoryJobRepository implements JobRepository {
    private final VersionedMap<Job> jobs = new VersionedMap<>(Job::id, Job::version);

    @Override public Optional<Job> find(String jobId) { return jobs.find(jobId); }
    @Override public WriteResult<Job> create(Job job) { return jobs.create(job); }
    @Override public WriteResult<Job> update(Job next, long expectedVersion) { return jobs.update(next, expectedVersion); }

    @Override
    public List<Job> jobsOfBuild(String buildId) {
        return jobs.values().stream()
                .filter(job -> job.buildId().equals(buildId))
                .sorted(Comparator.comparing(Job::key).thenComparingInt(Job::attempt))
                .toList();
    }

    @Override
    public List<Job> activeJobs() {
        // QUEUED too, as the port says (and as the sparse ACTIVE# index holds): the reaper expires
        // and re-dispatches queued jobs from this list.
        return jobs.values().stream().filter(job -> job.state() == JobState.QUEUED || job.state().isActive())
                .sorted(Comparator.comparing(Job::id)).toList();
    }
}
