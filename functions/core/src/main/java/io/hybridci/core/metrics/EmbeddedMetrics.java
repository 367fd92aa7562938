package io.hybridci.core.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * CloudWatch Embedded Metric Format lines: a function prints one to stdout and CloudWatch Logs turns
 * it into metrics, with no PutMetricData call on the hot path and no extra IAM permission
 * (<a href="https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html">EMF
 * specification</a>). Pure: this class only builds the JSON text; the handler prints it.
 *
 * <p>The figures match {@code GET /api/v1/metrics}: queue wait (QUEUED to accepted), job duration
 * (started to finished), results, and webhook-to-queued latency, each with the queue as dimension.
 */
public final class EmbeddedMetrics {

    public static final String NAMESPACE = "HybridCI";
    public static final String QUEUE_DIMENSION = "Queue";
    /** The EMF limits: at most 30 dimensions in a set, 100 metrics in a directive. */
    static final int MAX_DIMENSIONS = 30;
    static final int MAX_METRICS = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** CloudWatch's standard units used here. */
    public enum Unit {
        MILLISECONDS("Milliseconds"), COUNT("Count");

        private final String wireName;

        Unit(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** One metric value. */
    public record Metric(String name, double value, Unit unit) {
        public Metric {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(unit, "unit");
            if (name.isEmpty() || name.length() > 1024) {
                throw new IllegalArgumentException("a metric name is 1 to 1024 characters");
            }
        }
    }

    private EmbeddedMetrics() {
    }

    /**
     * One EMF line.
     *
     * @param dimensions name → value; one dimension set made of all of them
     * @param properties extra searchable fields (ids), not metrics; never secrets
     */
    public static String line(Instant at, Map<String, String> dimensions, List<Metric> metrics, Map<String, String> properties) {
        if (metrics.isEmpty() || metrics.size() > MAX_METRICS) {
            throw new IllegalArgumentException("an EMF directive has 1 to " + MAX_METRICS + " metrics, was " + metrics.size());
        }
        if (dimensions.size() > MAX_DIMENSIONS) {
            throw new IllegalArgumentException("an EMF dimension set has at most " + MAX_DIMENSIONS + " dimensions");
        }
        ObjectNode root = JSON.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", at.toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        ArrayNode dimensionSet = directive.putArray("Dimensions").addArray();
        dimensions.keySet().forEach(dimensionSet::add);
        ArrayNode definitions = directive.putArray("Metrics");
        properties.forEach(root::put);
        dimensions.forEach(root::put);
        for (Metric metric : metrics) {
            definitions.addObject().put("Name", metric.name()).put("Unit", metric.unit().wireName());
            root.put(metric.name(), metric.value());
        }
        return root.toString();
    }

    /**
     * The line for a job that reached a terminal state: its queue wait and duration when it has the
     * timestamps, and a count of its result ({@code JobsPassed}, {@code JobsFailed} or {@code JobsOther}).
     * Empty for a job that is not finished.
     */
    public static Optional<String> jobFinished(Job job) {
        if (!job.state().isTerminal() || job.finishedAt() == null) {
            return Optional.empty();
        }
        List<Metric> metrics = new ArrayList<>();
        if (job.queuedAt() != null && job.assignedAt() != null) {
            metrics.add(new Metric("QueueWait", Duration.between(job.queuedAt(), job.assignedAt()).toMillis(), Unit.MILLISECONDS));
        }
        if (job.startedAt() != null) {
            metrics.add(new Metric("JobDuration", Duration.between(job.startedAt(), job.finishedAt()).toMillis(), Unit.MILLISECONDS));
        }
        String result = job.state() == JobState.PASSED ? "JobsPassed" : job.state().isFailure() ? "JobsFailed" : "JobsOther";
        metrics.add(new Metric(result, 1, Unit.COUNT));
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("jobId", job.id());
        properties.put("buildId", job.buildId());
        properties.put("state", job.state().name());
        return Optional.of(line(job.finishedAt(), Map.of(QUEUE_DIMENSION, job.queue()), metrics, properties));
    }

    /** The line for a webhook whose build's first job is now queued: how long GitHub's push took to become work. */
    public static String webhookToQueued(String queue, Duration latency, Instant at, String buildId) {
        return line(at, Map.of(QUEUE_DIMENSION, queue),
                List.of(new Metric("WebhookToQueued", latency.toMillis(), Unit.MILLISECONDS)), Map.of("buildId", buildId));
    }
}
