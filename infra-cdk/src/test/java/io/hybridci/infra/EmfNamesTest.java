package io.hybridci.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.core.metrics.EmbeddedMetrics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The alarms of {@link Monitoring} watch what the functions print: the same namespace, dimension and
 * metric name as core's {@link EmbeddedMetrics} (infra-cdk does not depend on core at run time).
 */
class EmfNamesTest {

    @Test
    void shouldAlarmOnTheNamespaceDimensionAndMetricTheFunctionsPrint_whenAWebhookBecomesAQueuedJob() throws Exception {
        JsonNode line = new ObjectMapper().readTree(EmbeddedMetrics.webhookToQueued("default", Duration.ofSeconds(2),
                Instant.parse("2026-01-01T00:00:00Z"), "build-1"));
        JsonNode directive = line.get("_aws").get("CloudWatchMetrics").get(0);

        assertEquals(Monitoring.EMF_NAMESPACE, EmbeddedMetrics.NAMESPACE);
        assertEquals(Monitoring.EMF_NAMESPACE, directive.get("Namespace").asText());
        assertEquals(Monitoring.EMF_QUEUE_DIMENSION, EmbeddedMetrics.QUEUE_DIMENSION);
        assertEquals(Monitoring.EMF_QUEUE_DIMENSION, directive.get("Dimensions").get(0).get(0).asText());
        assertEquals(Monitoring.WEBHOOK_TO_QUEUED, directive.get("Metrics").get(0).get("Name").asText());
    }
}
