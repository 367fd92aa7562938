package io.hybridci.reactor;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.aws.dynamodb.JobItems;
import io.hybridci.aws.dynamodb.StreamImages;
import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildSource;
import io.hybridci.core.job.Job;
import io.hybridci.core.metrics.EmbeddedMetrics;
import io.hybridci.core.port.inmemory.InMemoryBuildRepository;
import io.hybridci.core.port.inmemory.InMemoryConcurrencySlots;
import io.hybridci.core.port.inmemory.InMemoryJobRepository;
import io.hybridci.core.port.inmemory.RecordingEventPublisher;
import io.hybridci.core.port.inmemory.RecordingJobDispatcher;
import io.hybridci.core.reaction.StateReactor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The EMF lines the state-reactor prints: captured from the handler's metric sink and read as CloudWatch would. */
class StateReactorMetricsTest {

    static final String BUILD = StateReactorHandlerTest.BUILD;
    static final Instant WEBHOOK_AT = Instant.parse("2025-03-01T12:00:00Z");
    static final Instant NOW = StateReactorHandlerTest.NOW;
    static final ObjectMapper JSON = new ObjectMapper();

    final InMemoryJobRepository jobs = new InMemoryJobRepository();
    final InMemoryBuildRepository builds = new InMemoryBuildRepository();
    final RecordingJobDispatcher dispatcher = new RecordingJobDispatcher();
    final List<String> printed = new ArrayList<>();

    @Test
    void shouldPrintDurationQueueWaitAndResult_whenAJobPassed() throws Exception {
        DynamodbEvent passed = EventLoader.loadDynamoDbEvent("events/dynamodb/job-passed.json");
        Job job = storeBuildAndChangedJob(passed);

        StreamsEventResponse response = handler().handleRequest(passed, null);

        assertEquals(List.of(), response.getBatchItemFailures());
        assertEquals(1, printed.size(), () -> "one line for the finished job: " + printed);
        JsonNode line = assertEmfShape(printed.getFirst(), Set.of("QueueWait", "JobDuration", "JobsPassed"));
        assertEquals(Duration.between(job.startedAt(), job.finishedAt()).toMillis(), line.get("JobDuration").asLong());
        assertEquals(Duration.between(job.queuedAt(), job.assignedAt()).toMillis(), line.get("QueueWait").asLong());
        assertEquals(1, line.get("JobsPassed").asInt());
        assertEquals(job.queue(), line.get(EmbeddedMetrics.QUEUE_DIMENSION).asText());
        assertEquals(job.id(), line.get("jobId").asText());
    }

    @Test
    void shouldPrintWebhookToQueuedOnce_whenTheBootstrapJobIsDispatchedAndItsRecordRedelivered() throws Exception {
        DynamodbEvent queued = EventLoader.loadDynamoDbEvent("events/dynamodb/bootstrap-queued.json");
        storeBuildAndChangedJob(queued);

        handler().handleRequest(queued, null);
        handler().handleRequest(queued, null);

        assertEquals(1, dispatcher.sent().size(), "dispatched once");
        assertEquals(1, printed.size(), () -> "the re-delivery dispatched nothing, so it measured nothing: " + printed);
        JsonNode line = assertEmfShape(printed.getFirst(), Set.of("WebhookToQueued"));
        assertEquals(Duration.between(WEBHOOK_AT, NOW).toMillis(), line.get("WebhookToQueued").asLong());
        assertEquals(BUILD, line.get("buildId").asText());
        assertEquals(NOW.toEpochMilli(), line.get("_aws").get("Timestamp").asLong());
    }

    @Test
    void shouldPrintNothing_whenAQueuedCommandJobIsDispatched() {
        DynamodbEvent batch = EventLoader.loadDynamoDbEvent("events/dynamodb/planned-batch.json");
        batch.getRecords().stream().skip(1).forEach(record ->
                assertTrue(jobs.create(JobItems.fromItem(StreamImages.newImage(record).orElseThrow())).written()));
        builds.create(build());

        handler().handleRequest(batch, null);

        assertTrue(dispatcher.sent().size() >= 1, "the command jobs were dispatched");
        assertEquals(List.of(), printed, "a command job's dispatch is not a webhook's");
    }

    // ------------------------------------------------------------------ fixtures

    StateReactorHandler handler() {
        RecordingEventPublisher events = new RecordingEventPublisher();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return new StateReactorHandler(new StateReactor(jobs, builds, dispatcher, events, new InMemoryConcurrencySlots(), clock), builds::find, printed::add, clock);
    }

    Job storeBuildAndChangedJob(DynamodbEvent event) {
        Job after = JobItems.fromItem(StreamImages.newImage(event.getRecords().getFirst()).orElseThrow());
        builds.create(build());
        assertTrue(jobs.create(after).written());
        return after;
    }

    static Build build() {
        return Build.created(BUILD, "acme/widgets", "https://github.com/acme/widgets.git", "main", null,
                "9f2c1e0b7d4a5c3e8f1b2a6d0c9e7f4a3b5d1c2e", "Fix the widget", "octocat", "octocat",
                BuildSource.PUSH, null, WEBHOOK_AT, "github:octocat");
    }

    /**
     * The EMF specification's rules for one line: an {@code _aws} object with a millisecond timestamp and one
     * CloudWatchMetrics directive in our namespace, every dimension and every declared metric a root member
     * (metrics numeric, units from CloudWatch's list), and exactly {@code metricNames} declared.
     */
    static JsonNode assertEmfShape(String text, Set<String> metricNames) throws Exception {
        assertTrue(!text.contains("\n"), "one line");
        JsonNode root = JSON.readTree(text);
        JsonNode aws = root.get("_aws");
        assertTrue(aws != null && aws.get("Timestamp").isIntegralNumber(), text);
        assertEquals(1, aws.get("CloudWatchMetrics").size(), text);
        JsonNode directive = aws.get("CloudWatchMetrics").get(0);
        assertEquals(EmbeddedMetrics.NAMESPACE, directive.get("Namespace").asText());
        for (JsonNode dimensionSet : directive.get("Dimensions")) {
            for (JsonNode dimension : dimensionSet) {
                assertTrue(root.path(dimension.asText()).isTextual(), () -> "dimension " + dimension + " is a string member: " + text);
            }
        }
        Set<String> declared = new HashSet<>();
        for (JsonNode metric : directive.get("Metrics")) {
            String name = metric.get("Name").asText();
            declared.add(name);
            assertTrue(root.path(name).isNumber(), () -> "metric " + name + " is a number member: " + text);
            assertTrue(Set.of("Milliseconds", "Count").contains(metric.get("Unit").asText()), text);
        }
        assertEquals(metricNames, declared, text);
        return root;
    }
}
