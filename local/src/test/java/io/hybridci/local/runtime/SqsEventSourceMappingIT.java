package io.hybridci.local.runtime;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SQS mapping against a real ElasticMQ (in this JVM), the SQS engine of the local cloud. */
class SqsEventSourceMappingIT {

    private static SQSRestServer server;
    private static SqsClient sqs;

    @BeforeAll
    static void startElasticMq() {
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort()
                .withAWSRegion("us-east-1").withAWSAccountId("000000000000").start();
        int port = server.waitUntilStarted().localAddress().getPort();
        sqs = SqsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stopElasticMq() {
        sqs.close();
        try {
            server.stopAndWait();
        } catch (Exception slowToStop) {
            // stopAndWait gives up after a minute (seen once on a loaded CI machine, with every test passed): the
            // server is on a dynamic port and dies with this test JVM, so a slow stop is not a failure of the mapping.
            System.err.println("SqsEventSourceMappingIT: ElasticMQ did not stop in time: " + slowToStop);
        }
    }

    private final List<SQSEvent.SQSMessage> seen = new CopyOnWriteArrayList<>();
    private final InvocationStats stats = new InvocationStats();

    private LocalFunction<SQSEvent, SQSBatchResponse> function(Function<SQSEvent, SQSBatchResponse> behaviour) {
        return new LocalFunction<>(LocalFunction.Settings.of("job-updater", 512, Duration.ofSeconds(30)), (event, context) -> {
            seen.addAll(event.getRecords());
            return behaviour.apply(event);
        }, stats);
    }

    private static String createQueue(String name, Map<QueueAttributeName, String> attributes) {
        return sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
    }

    private static String arnOf(String queueUrl) {
        return sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    private static int approximateMessages(String queueUrl) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private long timesSeen(String body) {
        return seen.stream().filter(m -> m.getBody().equals(body)).count();
    }

    @Test
    void shouldRedeliverOnlyReportedFailuresAndMoveThemToDlq_whenHandlerReportsBatchItemFailures() throws Exception {
        String dlq = createQueue("partial-dlq", Map.of());
        String queue = createQueue("partial", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                QueueAttributeName.REDRIVE_POLICY, "{\"maxReceiveCount\":\"2\",\"deadLetterTargetArn\":\"" + arnOf(dlq) + "\"}"));
        for (String body : List.of("ok-1", "bad", "ok-2")) sqs.sendMessage(r -> r.queueUrl(queue).messageBody(body));

        var config = new SqsEventSourceMapping.Config(queue, 10, Duration.ZERO, true, Duration.ofSeconds(1), 1);
        try (var mapping = new SqsEventSourceMapping(sqs, config, function(event -> new SQSBatchResponse(event.getRecords().stream()
                .filter(m -> m.getBody().equals("bad"))
                .map(m -> new SQSBatchResponse.BatchItemFailure(m.getMessageId())).toList()))).start()) {
            await("the failing message in the DLQ", () -> approximateMessages(dlq) == 1);
        }
        assertEquals(1, timesSeen("ok-1"));
        assertEquals(1, timesSeen("ok-2"));
        assertEquals(2, timesSeen("bad"), "received maxReceiveCount times, then redriven");
        assertEquals(0, approximateMessages(queue));
        assertEquals("bad", sqs.receiveMessage(r -> r.queueUrl(dlq)).messages().getFirst().body());
    }

    @Test
    void shouldRedeliverWholeBatchWithRealAttributes_whenHandlerThrows() throws Exception {
        String queue = createQueue("throwing", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1"));
        sqs.sendMessage(r -> r.queueUrl(queue).messageBody("{\"job\":\"j1\"}")
                .messageAttributes(Map.of("kind", MessageAttributeValue.builder().dataType("String").stringValue("started").build())));
        int[] calls = {0};
        var config = new SqsEventSourceMapping.Config(queue, 10, Duration.ZERO, true, Duration.ofSeconds(1), 2);
        try (var mapping = new SqsEventSourceMapping(sqs, config, function(event -> {
            if (calls[0]++ == 0) throw new IllegalStateException("transient");
            return new SQSBatchResponse(List.of());
        })).start()) {
            await("a successful second delivery", () -> seen.size() == 2 && approximateMessages(queue) == 0);
        }
        SQSEvent.SQSMessage first = seen.get(0);
        SQSEvent.SQSMessage second = seen.get(1);
        assertEquals(first.getMessageId(), second.getMessageId());
        assertEquals("1", first.getAttributes().get("ApproximateReceiveCount"));
        assertEquals("2", second.getAttributes().get("ApproximateReceiveCount"));
        assertTrue(first.getAttributes().containsKey("SentTimestamp"));
        assertEquals("aws:sqs", second.getEventSource());
        assertEquals(arnOf(queue), second.getEventSourceArn());
        assertEquals("us-east-1", second.getAwsRegion());
        assertEquals("started", second.getMessageAttributes().get("kind").getStringValue());
        assertEquals("String", second.getMessageAttributes().get("kind").getDataType());
        assertEquals(32, second.getMd5OfBody().length());
        assertEquals(1, stats.of("job-updater").errors());
    }

    @Test
    void shouldKeepGroupOrder_whenFifoHandlerStopsAtFirstFailureAndReportsTheRest() throws Exception {
        String queue = createQueue("agent-updates.fifo", Map.of(QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true", QueueAttributeName.VISIBILITY_TIMEOUT, "1"));
        for (String body : List.of("j1-started", "j1-log", "j1-finished")) {
            sqs.sendMessage(r -> r.queueUrl(queue).messageBody(body).messageGroupId("job-1"));
        }
        List<String> applied = new CopyOnWriteArrayList<>();
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        var config = new SqsEventSourceMapping.Config(queue, 10, Duration.ZERO, true, Duration.ofSeconds(1), 1);
        // What a FIFO handler must do (AWS docs): stop at the first failure, report it and everything after it.
        try (var mapping = new SqsEventSourceMapping(sqs, config, function(event -> {
            List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
            for (SQSEvent.SQSMessage message : event.getRecords()) {
                boolean stopped = !failures.isEmpty();
                if (stopped || message.getBody().equals("j1-log") && failedOnce.add("j1-log")) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                } else {
                    applied.add(message.getBody());
                }
            }
            return new SQSBatchResponse(failures);
        })).start()) {
            await("all three applied", () -> applied.size() == 3 && approximateMessages(queue) == 0);
        }
        assertEquals(List.of("j1-started", "j1-log", "j1-finished"), applied);
        assertTrue(timesSeen("j1-finished") >= 2, "reported as failed with the rest of its group, then redelivered");
    }

    @Test
    void shouldStopPromptly_whenClosedDuringALongPoll() throws Exception {
        String queue = createQueue("idle", Map.of());
        var config = new SqsEventSourceMapping.Config(queue, 10, Duration.ZERO, false, Duration.ofSeconds(20), 3);
        var mapping = new SqsEventSourceMapping(sqs, config, function(event -> null)).start();
        Thread.sleep(200);
        long started = System.nanoTime();
        mapping.close();
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "close waited for a 20 s long poll");
        sqs.sendMessage(r -> r.queueUrl(queue).messageBody("after-close"));
        Thread.sleep(300);
        assertEquals(0, timesSeen("after-close"));
    }

    @Test
    void shouldGatherUpToBatchSize_whenBatchingWindowIsSet() throws Exception {
        String queue = createQueue("windowed", Map.of());
        for (int i = 0; i < 15; i++) {
            int n = i;
            sqs.sendMessage(r -> r.queueUrl(queue).messageBody("m" + n));
        }
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        var config = new SqsEventSourceMapping.Config(queue, 15, Duration.ofSeconds(1), false, Duration.ofSeconds(1), 1);
        try (var mapping = new SqsEventSourceMapping(sqs, config, function(event -> {
            batchSizes.add(event.getRecords().size());
            return null;
        })).start()) {
            await("15 messages", () -> seen.size() == 15);
        }
        assertEquals(List.of(15), batchSizes, "one invocation with more than 10 messages");
    }
}
