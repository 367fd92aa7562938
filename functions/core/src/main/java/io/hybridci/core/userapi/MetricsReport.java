package io.hybridci.core.userapi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link OperationsMetrics} found.
 *
 * @param generatedAt when the figures were read
 * @param since the start of the window of {@code totals} and {@code series}
 * @param bucketLength the length of each entry of {@code series}
 * @param queues every queue with an active job or a live agent, by name
 * @param totals the whole window
 * @param series the window cut into equal buckets, oldest first, by the jobs' finish time
 * @param truncated true when more builds were created in the window than one call reads
 */
public record MetricsReport(Instant generatedAt, Instant since, Duration bucketLength, List<QueueFigures> queues,
                            Bucket totals, List<Bucket> series, boolean truncated) {

    public MetricsReport {
        Objects.requireNonNull(generatedAt, "generatedAt");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(bucketLength, "bucketLength");
        queues = List.copyOf(queues);
        Objects.requireNonNull(totals, "totals");
        series = List.copyOf(series);
    }

    /**
     * One queue now.
     *
     * @param waiting jobs QUEUED (dispatched or about to be), waiting for an agent
     * @param running jobs an agent holds (ASSIGNED, RUNNING, CANCELING, TIMING_OUT)
     * @param oldestWait how long the longest-waiting queued job has waited
     * @param connectedAgents live agents on this queue that take work (CONNECTED)
     * @param busyAgents agents on this queue holding a job
     * @param unavailableAgents live agents on this queue that take no new work (PAUSED, DRAINING)
     */
    public record QueueFigures(String queue, int waiting, int running, Optional<Duration> oldestWait,
                               int connectedAgents, int busyAgents, int unavailableAgents) {
        public QueueFigures {
            Objects.requireNonNull(queue, "queue");
            Objects.requireNonNull(oldestWait, "oldestWait");
        }
    }

    /**
     * Finished jobs of one period. Queue wait is from QUEUED to an agent's accept; duration from
     * the agent's start to the finish. Percentiles are empty when no job had the timestamps.
     *
     * @param other canceled and skipped jobs: neither a pass nor a failure
     */
    public record Bucket(Instant start, Optional<Long> queueWaitP50Millis, Optional<Long> queueWaitP95Millis,
                         Optional<Long> durationP50Millis, Optional<Long> durationP95Millis,
                         int passed, int failed, int other) {
        public Bucket {
            Objects.requireNonNull(start, "start");
        }
    }
}
