package io.hybridci.core.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lines against the EMF specification: a root {@code _aws} with a millisecond {@code Timestamp}
 * and {@code CloudWatchMetrics} directives (Namespace, Dimensions as arrays of names, Metrics with
 * Name and a standard Unit), and every referenced dimension and metric present as a root member.
 */
class EmbeddedMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2025-03-01T12:00:00Z");
    private static final Set<String> CLOUDWATCH_UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes",
            "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
            "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second",
            "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
            "Terabits/Second", "Count/Second", "None");

    @Test
    void shouldFollowTheEmfSpecification_whenAFinishedJobIsMeasured() throws Exception {
        Job passed = job(JobState.PASSED);

        JsonNode line = JSON.readTree(EmbeddedMetrics.jobFinished(passed).orElseThrow());

        assertConformsToEmf(line);
        assertEquals(AT.plusSeconds(70).toEpochMilli(), line.get("_aws").get("Timestamp").asLong());
        assertEquals("default", line.get("Queue").asText());
        assertEquals(5_000, line.get("QueueWait").asLong());
        assertEquals(60_000, line.get("JobDuration").asLong());
        assertEquals(1, line.get("JobsPassed").asInt());
        assertEquals("job-1", line.get("jobId").asText());
    }

    @Test
    void shouldCountAFailure_whenTheJobTimedOut() throws Exception {
        JsonNode line = JSON.readTree(EmbeddedMetrics.jobFinished(job(JobState.TIMED_OUT)).orElseThrow());

        assertConformsToEmf(line);
        assertEquals(1, line.get("JobsFailed").asInt());
        assertTrue(line.get("JobsPassed") == null);
    }

    @Test
    void shouldEmitNothing_whenTheJobIsStillRunning() {
        assertTrue(EmbeddedMetrics.jobFinished(job(JobState.RUNNING).toBuilder().finishedAt(null).build()).isEmpty());
    }

    @Test
    void shouldMeasureWebhookToQueued_whenABuildIsQueued() throws Exception {
        JsonNode line = JSON.readTree(EmbeddedMetrics.webhookToQueued("linux", Duration.ofMillis(215), AT, "b-1"));

        assertConformsToEmf(line);
        assertEquals(215, line.get("WebhookToQueued").asLong());
        assertEquals("linux", line.get("Queue").asText());
    }

    @Test
    void shouldRefuseADirective_whenItHasNoMetric() {
        assertThrows(IllegalArgumentException.class, () -> EmbeddedMetrics.line(AT, Map.of(), List.of(), Map.of()));
    }

    /** The structure the EMF specification requires, checked member by member. */
    private static void assertConformsToEmf(JsonNode line) {
        JsonNode aws = line.get("_aws");
        assertTrue(aws != null && aws.isObject(), "_aws object");
        assertTrue(aws.get("Timestamp").isIntegralNumber(), "Timestamp in epoch milliseconds");
        JsonNode directives = aws.get("CloudWatchMetrics");
        assertTrue(directives.isArray() && !directives.isEmpty(), "CloudWatchMetrics is a non-empty array");
        for (JsonNode directive : directives) {
            String namespace = directive.get("Namespace").asText();
            assertTrue(!namespace.isEmpty() && namespace.length() <= 1024 && !namespace.contains(":"), "Namespace " + namespace);
            for (JsonNode dimensionSet : directive.get("Dimensions")) {
                assertTrue(dimensionSet.isArray() && dimensionSet.size() <= 30, "a dimension set is an array of ≤ 30 names");
                for (JsonNode dimension : dimensionSet) {
                    assertTrue(line.get(dimension.asText()).isTextual(), "dimension " + dimension + " is a root string member");
                }
            }
            JsonNode metrics = directive.get("Metrics");
            assertTrue(metrics.isArray() && !metrics.isEmpty() && metrics.size() <= 100, "1..100 metric definitions");
            for (JsonNode metric : metrics) {
                String name = metric.get("Name").asText();
                assertTrue(line.get(name).isNumber(), "metric " + name + " is a root number");
                assertTrue(CLOUDWATCH_UNITS.contains(metric.get("Unit").asText()), "standard unit " + metric.get("Unit"));
            }
        }
    }

    private static Job job(JobState state) {
        return new Job("job-1", "build-1", "test", "Test", 1, state, "default", 0, List.of(), JobKind.COMMAND, "make test",
                Map.of(), null, RetryPolicy.DEFAULT, "agent-1", state == JobState.PASSED ? 0 : null, null, null,
                AT, AT, AT, AT.plusSeconds(5), AT.plusSeconds(10), AT.plusSeconds(70), null, null, 5,
                AT.plusSeconds(70), "agent:agent-1");
    }
}
