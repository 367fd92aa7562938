package io.hybridci.local.engine.eventbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.local.engine.LocalAws;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;

/** The local EventBridge endpoint driven by the real EventBridgeClient. */
class LocalEventBridgeIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PLANNER = "arn:aws:lambda:us-east-1:000000000000:function:build-planner";

    LocalEventBridge bridge;
    EventBridgeClient client;
    static final String DLQ_ARN = "arn:aws:sqs:us-east-1:000000000000:bus-targets-dlq";

    BlockingQueue<String> planner = new LinkedBlockingQueue<>();
    /** What the bus dead-lettered: the queue ARN, the event and its attributes. */
    BlockingQueue<SentDeadLetter> deadLettered = new LinkedBlockingQueue<>();

    record SentDeadLetter(String queueArn, String eventJson, java.util.Map<String, String> attributes) {
    }

    @BeforeEach
    void start() throws Exception {
        bridge = LocalEventBridge.start(0, Clock.systemUTC(), 3, Duration.ofMillis(10));
        client = LocalAws.pointAt(EventBridgeClient.builder(), bridge.endpoint()).build();
        bridge.registerSink("build-planner", planner::add);
        bridge.deadLetterSender((arn, event, attributes) -> deadLettered.add(new SentDeadLetter(arn, event, attributes)));
        client.putRule(r -> r.name("push-to-planner").eventPattern(
                "{\"source\":[\"hybridci.github\"],\"detail-type\":[\"Push Received\"]}"));
        client.putTargets(t -> t.rule("push-to-planner").targets(target -> target.id("planner").arn(PLANNER)
                .deadLetterConfig(dlq -> dlq.arn(DLQ_ARN))));
    }

    @AfterEach
    void stop() {
        client.close();
        bridge.close();
    }

    @Test
    void shouldDeliverTheEnvelope_whenAnEventMatchesARule() throws Exception {
        PutEventsResponse response = client.putEvents(p -> p.entries(e -> e.source("hybridci.github")
                .detailType("Push Received").detail("{\"repo\":\"acme/app\"}").resources("arn:x")));

        JsonNode envelope = JSON.readTree(planner.poll(5, TimeUnit.SECONDS));
        assertEquals(0, response.failedEntryCount());
        assertEquals(response.entries().getFirst().eventId(), envelope.get("id").asText());
        assertEquals("0", envelope.get("version").asText());
        assertEquals("Push Received", envelope.get("detail-type").asText());
        assertEquals("hybridci.github", envelope.get("source").asText());
        assertEquals("000000000000", envelope.get("account").asText());
        assertEquals("us-east-1", envelope.get("region").asText());
        assertEquals("arn:x", envelope.get("resources").get(0).asText());
        assertEquals("acme/app", envelope.get("detail").get("repo").asText());
        assertTrue(envelope.get("time").asText().endsWith("Z"));
    }

    @Test
    void shouldNotDeliver_whenNoRuleMatches() throws Exception {
        client.putEvents(p -> p.entries(e -> e.source("hybridci.github").detailType("Ping").detail("{}")));

        assertNull(planner.poll(300, TimeUnit.MILLISECONDS));
    }

    @Test
    void shouldReportPerEntryErrors_whenSomeEntriesAreBad() throws Exception {
        PutEventsResponse response = client.putEvents(p -> p.entries(
                e -> e.source("hybridci.github").detailType("Push Received").detail("not json"),
                e -> e.detailType("Push Received").detail("{}"),
                e -> e.source("hybridci.github").detailType("Push Received").detail("{\"big\":\"" + "x".repeat(300_000) + "\"}"),
                e -> e.source("hybridci.github").detailType("Push Received").detail("{\"ok\":true}")));

        assertEquals(3, response.failedEntryCount());
        assertEquals("MalformedDetail", response.entries().get(0).errorCode());
        assertEquals("InvalidArgument", response.entries().get(1).errorCode());
        assertEquals("InvalidArgument", response.entries().get(2).errorCode());
        assertNotNull(response.entries().get(3).eventId());
        assertTrue(JSON.readTree(planner.poll(5, TimeUnit.SECONDS)).get("detail").get("ok").asBoolean());
    }

    @Test
    void shouldRetryThenDeadLetter_whenTheSinkKeepsFailing() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        bridge.registerSink("build-planner", event -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("handler down");
        });

        PutEventsResponse put = client.putEvents(p -> p.entries(e -> e.source("hybridci.github").detailType("Push Received").detail("{}")));

        SentDeadLetter sent = deadLettered.poll(5, TimeUnit.SECONDS);
        assertNotNull(sent, "dead-lettered after the last attempt");
        assertEquals(3, attempts.get());
        assertEquals(DLQ_ARN, sent.queueArn());
        assertEquals(put.entries().getFirst().eventId(), JSON.readTree(sent.eventJson()).get("id").asText(), "the body is the event");
        assertEquals("arn:aws:events:us-east-1:000000000000:rule/push-to-planner", sent.attributes().get("RULE_ARN"));
        assertEquals(PLANNER, sent.attributes().get("TARGET_ARN"));
        assertEquals("ERROR_FROM_TARGET", sent.attributes().get("ERROR_CODE"));
        assertEquals("IllegalStateException: handler down", sent.attributes().get("ERROR_MESSAGE"));
        assertEquals("MaximumRetryAttempts", sent.attributes().get("EXHAUSTED_RETRY_CONDITION"));
        assertEquals("2", sent.attributes().get("RETRY_ATTEMPTS"));
        assertNull(deadLettered.poll(100, TimeUnit.MILLISECONDS), "once");
    }

    @Test
    void shouldDeadLetterWithNoResource_whenNoFunctionTakesTheTarget() throws Exception {
        client.putRule(r -> r.name("push-to-ghost").eventPattern("{\"source\":[\"hybridci.github\"]}"));
        client.putTargets(t -> t.rule("push-to-ghost").targets(target -> target.id("ghost")
                .arn("arn:aws:lambda:us-east-1:000000000000:function:ghost").deadLetterConfig(dlq -> dlq.arn(DLQ_ARN))));

        client.putEvents(p -> p.entries(e -> e.source("hybridci.github").detailType("Ping").detail("{}")));

        SentDeadLetter sent = deadLettered.poll(5, TimeUnit.SECONDS);
        assertNotNull(sent);
        assertEquals("NO_RESOURCE", sent.attributes().get("ERROR_CODE"));
        assertTrue(sent.attributes().get("ERROR_MESSAGE").contains("ghost"));
    }

    @Test
    void shouldDropTheEvent_whenTheTargetHasNoDeadLetterQueue() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        bridge.registerSink("build-planner", event -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("handler down");
        });
        client.putTargets(t -> t.rule("push-to-planner").targets(target -> target.id("planner").arn(PLANNER)));

        client.putEvents(p -> p.entries(e -> e.source("hybridci.github").detailType("Push Received").detail("{}")));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (attempts.get() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(3, attempts.get());
        assertNull(deadLettered.poll(300, TimeUnit.MILLISECONDS), "no DeadLetterConfig: dropped, as in AWS");
    }

    @Test
    void shouldManageRulesAndTargets_whenCalledThroughTheSdk() {
        assertEquals("push-to-planner", client.listRules(r -> r.namePrefix("push")).rules().getFirst().name());
        assertEquals(PLANNER, client.listTargetsByRule(r -> r.rule("push-to-planner")).targets().getFirst().arn());
        assertEquals(DLQ_ARN, client.listTargetsByRule(r -> r.rule("push-to-planner")).targets().getFirst().deadLetterConfig().arn());
        assertTrue(client.describeRule(r -> r.name("push-to-planner")).eventPattern().contains("hybridci.github"));

        client.removeTargets(r -> r.rule("push-to-planner").ids("planner"));
        client.deleteRule(r -> r.name("push-to-planner"));

        assertThrows(ResourceNotFoundException.class, () -> client.describeRule(r -> r.name("push-to-planner")));
        assertEquals("arn:aws:events:us-east-1:000000000000:event-bus/builds",
                client.createEventBus(b -> b.name("builds")).eventBusArn());
    }
    @Test
    void shouldDeliverWhatItAccepted_andRefuseNewEvents_whenDrainedBeforeClosing() throws Exception {
        // The planner fails twice, so the event is still in its retries when the drain starts.
        AtomicInteger calls = new AtomicInteger();
        BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
        bridge.registerSink("build-planner", payload -> {
            if (calls.incrementAndGet() <= 2) throw new IllegalStateException("planner busy");
            Thread.sleep(200);
            delivered.add(payload);
        });
        client.putEvents(p -> p.entries(e -> e.source("hybridci.github").detailType("Push Received").detail("{\"n\":1}")));

        int abandoned = bridge.drain(Duration.ofSeconds(10));

        assertEquals(0, abandoned);
        assertEquals(3, calls.get(), "delivered on the third try, before the drain returned");
        assertNotNull(delivered.poll(), "delivered before the drain returned");
        var refused = assertThrows(software.amazon.awssdk.services.eventbridge.model.EventBridgeException.class,
                () -> client.putEvents(p -> p.entries(e -> e.source("hybridci.github").detailType("Push Received").detail("{}"))));
        assertEquals(503, refused.statusCode(), "a draining bus takes no new event: the caller retries it later");
        assertTrue(deadLettered.isEmpty());
    }
}
