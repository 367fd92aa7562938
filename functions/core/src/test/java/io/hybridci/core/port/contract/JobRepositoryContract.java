package io.hybridci.core.port.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobState;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.WriteResult;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JobRepository} must do. Jobs use the queues {@code default} and {@code linux}:
 * adapters that index active jobs per queue are told those.
 */
public abstract class JobRepositoryContract {

    protected static final Set<String> QUEUES = Set.of("default", "linux");

    protected abstract JobRepository newRepository();

    private JobRepository jobs;

    @BeforeEach
    void setUpRepository() {
        jobs = newRepository();
    }

    @Test
    void shouldCreateOnce_whenSameJobIsCreatedTwice() {
        Job job = Fixtures.job(Fixtures.uniqueId("b"), "test", 1, JobState.PENDING, "default");

        assertTrue(jobs.create(job).written());
        assertEquals(new WriteResult.Conflict<>(Optional.of(job)), jobs.create(job.withState(JobState.QUEUED)));
        assertEquals(Optional.of(job), jobs.find(job.id()));
    }

    @Test
    void shouldUpdateThenConflict_whenSecondWriterHasTheOldVersion() {
        Job job = Fixtures.job(Fixtures.uniqueId("b"), "test", 1, JobState.QUEUED, "default");
        jobs.create(job);
        Job accepted = job.next(Fixtures.T0.plusSeconds(5), "agent:a").state(JobState.ASSIGNED).agentId("a").build();
        Job rival = job.next(Fixtures.T0.plusSeconds(5), "agent:b").state(JobState.ASSIGNED).agentId("b").build();

        assertEquals(new WriteResult.Written<>(accepted), jobs.update(accepted, 1));
        assertEquals(new WriteResult.Conflict<>(Optional.of(accepted)), jobs.update(rival, 1));
    }

    @Test
    void shouldListJobsOfBuildByKeyThenAttempt_whenSeveralAttemptsExist() {
        String buildId = Fixtures.uniqueId("b");
        Job test2 = Fixtures.job(buildId, "test", 2, JobState.QUEUED, "default");
        Job build1 = Fixtures.job(buildId, "build", 1, JobState.PASSED, "default");
        Job test1 = Fixtures.job(buildId, "test", 1, JobState.FAILED, "default");
        Job test10 = Fixtures.job(buildId, "test", 10, JobState.PENDING, "default");
        for (Job job : List.of(test2, build1, test10, test1)) {
            jobs.create(job);
        }
        jobs.create(Fixtures.job(Fixtures.uniqueId("other"), "build", 1, JobState.QUEUED, "default"));

        assertEquals(List.of(build1, test1, test2, test10), jobs.jobsOfBuild(buildId));
    }

    @Test
    void shouldListOnlyActiveJobs_whenJobsAreInEveryState() {
        String buildId = Fixtures.uniqueId("b");
        for (JobState state : JobState.values()) {
            jobs.create(Fixtures.job(buildId, state.name().toLowerCase(), 1, state,
                    state.ordinal() % 2 == 0 ? "default" : "linux"));
        }

        Set<JobState> active = jobs.activeJobs().stream().filter(job -> job.buildId().equals(buildId))
                .map(Job::state).collect(Collectors.toSet());

        assertEquals(Set.of(JobState.QUEUED, JobState.ASSIGNED, JobState.RUNNING, JobState.CANCELING,
                JobState.TIMING_OUT), active);
    }

    @Test
    void shouldDropFromActiveJobs_whenJobFinishes() {
        Job running = Fixtures.job(Fixtures.uniqueId("b"), "test", 1, JobState.RUNNING, "linux");
        jobs.create(running);
        Job passed = running.next(Fixtures.T0.plusSeconds(9), "agent:a").state(JobState.PASSED).exitStatus(0).build();

        jobs.update(passed, running.version());

        assertTrue(jobs.activeJobs().stream().noneMatch(job -> job.id().equals(running.id())));
    }
}
