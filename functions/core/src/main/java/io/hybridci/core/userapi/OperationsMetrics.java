package io.hybridci.core.userapi;

import io.hybridci.core.agent.Agent;
import io.hybridci.core.agent.AgentState;
import io.hybridci.core.build.Build;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobState;
import io.hybridci.core.port.AgentRepository;
import io.hybridci.core.port.BuildRepository;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.Page;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The figures a person on call watches ({@code GET /api/v1/metrics}, the dashboard's queues page,
 * the CLI): per queue the waiting jobs, the oldest wait and the agents serving it, and over a
 * recent window the queue wait and job duration percentiles and the pass/fail counts.
 *
 * <p>Everything is read through keyed queries, never a scan: the queues from the sparse active-job
 * index ({@link JobRepository#activeJobs()}), the agents from the live-agent index
 * ({@link AgentRepository#liveAgents()}), the window from the newest builds
 * ({@link BuildRepository#listNewestFirst}) and their jobs ({@link JobRepository#jobsOfBuild}).
 * At most {@link #MAX_BUILDS} builds are read, so one call costs a bounded number of queries;
 * {@link MetricsReport#truncated()} says when the window held more.
 */
public final class OperationsMetrics {

    public static final Duration DEFAULT_WINDOW = Duration.ofHours(6);
    public static final Duration MAX_WINDOW = Duration.ofHours(48);
    /** Bounds the cost of one call: a page of builds and one jobs query per build. */
    public static final int MAX_BUILDS = 300;
    private static final int BUILD_PAGE = 50;
    private static final int BUCKETS = 12;

    private final BuildRepository builds;
    private final JobRepository jobs;
    private final AgentRepository agents;
    private final Clock clock;

    public OperationsMetrics(BuildRepository builds, JobRepository jobs, AgentRepository agents, Clock clock) {
        this.builds = Objects.requireNonNull(builds, "builds");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.agents = Objects.requireNonNull(agents, "agents");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @param window how far back the percentiles and counts look, 1 minute to {@link #MAX_WINDOW} */
    public MetricsReport compute(Duration window) {
        if (window.compareTo(Duration.ofMinutes(1)) < 0 || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("window must be 1 minute to " + MAX_WINDOW + ", was " + window);
        }
        Instant now = clock.instant();
        Instant since = now.minus(window);
        List<MetricsReport.QueueFigures> queues = queueFigures(now);
        RecentJobs recent = recentJobs(since);
        Duration bucketLength = window.dividedBy(BUCKETS);
        List<MetricsReport.Bucket> series = new ArrayList<>();
        for (int i = 0; i < BUCKETS; i++) {
            Instant start = since.plus(bucketLength.multipliedBy(i));
            Instant end = i == BUCKETS - 1 ? now.plusNanos(1) : start.plus(bucketLength);
            series.add(summarize(start, recent.jobs().stream()
                    .filter(job -> !job.finishedAt().isBefore(start) && job.finishedAt().isBefore(end))
                    .toList()));
        }
        return new MetricsReport(now, since, bucketLength, queues,
                summarize(since, recent.jobs()), series, recent.truncated());
    }

    private List<MetricsReport.QueueFigures> queueFigures(Instant now) {
        Map<String, List<Job>> activeByQueue = new TreeMap<>();
        for (Job job : jobs.activeJobs()) {
            activeByQueue.computeIfAbsent(job.queue(), queue -> new ArrayList<>()).add(job);
        }
        List<Agent> live = agents.liveAgents();
        for (Agent agent : live) {
            agent.queues().forEach(queue -> activeByQueue.computeIfAbsent(queue, q -> new ArrayList<>()));
        }
        List<MetricsReport.QueueFigures> figures = new ArrayList<>();
        activeByQueue.forEach((queue, active) -> {
            List<Job> waiting = active.stream().filter(job -> job.state() == JobState.QUEUED).toList();
            Optional<Duration> oldestWait = waiting.stream()
                    .map(job -> job.queuedAt() != null ? job.queuedAt() : job.createdAt())
                    .min(Instant::compareTo)
                    .map(queuedAt -> Duration.between(queuedAt, now));
            int running = (int) active.stream().filter(job -> job.state().isActive()).count();
            List<Agent> serving = live.stream().filter(agent -> agent.queues().contains(queue)).toList();
            int connected = (int) serving.stream().filter(agent -> agent.state() == AgentState.CONNECTED).count();
            int busy = (int) serving.stream().filter(Agent::isBusy).count();
            figures.add(new MetricsReport.QueueFigures(queue, waiting.size(), running, oldestWait, connected, busy,
                    serving.size() - connected));
        });
        return figures;
    }

    private record RecentJobs(List<Job> jobs, boolean truncated) {}

    /** Finished jobs of the builds created since {@code since}, newest builds first, at most {@link #MAX_BUILDS} builds. */
    private RecentJobs recentJobs(Instant since) {
        List<Job> finished = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        int read = 0;
        while (true) {
            Page<Build> page = builds.listNewestFirst(BUILD_PAGE, cursor);
            for (Build build : page.items()) {
                if (build.createdAt().isBefore(since)) {
                    return new RecentJobs(finished, false);
                }
                if (read == MAX_BUILDS) {
                    return new RecentJobs(finished, true);
                }
                read++;
                for (Job job : jobs.jobsOfBuild(build.id())) {
                    if (job.state().isTerminal() && job.finishedAt() != null && !job.finishedAt().isBefore(since)) {
                        finished.add(job);
                    }
                }
            }
            if (page.next().isEmpty()) {
                return new RecentJobs(finished, false);
            }
            cursor = page.next();
        }
    }

    private static MetricsReport.Bucket summarize(Instant start, List<Job> finished) {
        List<Long> waits = new ArrayList<>();
        List<Long> durations = new ArrayList<>();
        int passed = 0;
        int failed = 0;
        int other = 0;
        for (Job job : finished) {
            if (job.queuedAt() != null && job.assignedAt() != null) {
                waits.add(Duration.between(job.queuedAt(), job.assignedAt()).toMillis());
            }
            if (job.startedAt() != null) {
                durations.add(Duration.between(job.startedAt(), job.finishedAt()).toMillis());
            }
            if (job.state() == JobState.PASSED) {
                passed++;
            } else if (job.state().isFailure()) {
                failed++;
            } else {
                other++;
            }
        }
        return new MetricsReport.Bucket(start, percentile(waits, 50), percentile(waits, 95),
                percentile(durations, 50), percentile(durations, 95), passed, failed, other);
    }

    /** Nearest-rank percentile: always a value that was observed, empty when nothing was. */
    static Optional<Long> percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return Optional.of(sorted.get(Math.max(0, rank - 1)));
    }
}
