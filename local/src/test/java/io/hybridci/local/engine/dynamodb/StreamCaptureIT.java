package io.hybridci.local.engine.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import io.hybridci.local.engine.LocalAws;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Stream capture, the stream log and the TTL sweeper against a real dynalite process. */
class StreamCaptureIT {

    static final Path NODE_MODULES = Path.of(System.getProperty("basedir", ".")).resolve("node_modules");

    @TempDir
    Path data;

    Dynalite dynalite;
    DynamoDbClient reader;
    DynamoDbClient client;
    StreamCapture capture;

    @BeforeEach
    void start() {
        dynalite = Dynalite.start(data.resolve("dynamodb"), NODE_MODULES);
        openClients();
        reader.createTable(t -> t.tableName("jobs").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)));
    }

    void openClients() {
        reader = LocalAws.pointAt(DynamoDbClient.builder(), dynalite.endpoint()).build();
        capture = new StreamCapture(reader, data.resolve("streams"));
        capture.enableStream("jobs");
        client = LocalAws.pointAt(DynamoDbClient.builder(), dynalite.endpoint())
                .overrideConfiguration(o -> o.addExecutionInterceptor(capture)).build();
    }

    void closeClients() {
        client.close();
        reader.close();
        capture.close();
    }

    @AfterEach
    void stop() {
        closeClients();
        dynalite.close();
    }

    static Map<String, AttributeValue> job(String id, String state) {
        return Map.of("pk", AttributeValue.fromS(id), "state", AttributeValue.fromS(state));
    }

    @Test
    void shouldEmitInsertModifyRemoveWithImages_whenAnItemIsPutUpdatedAndDeleted() {
        client.putItem(p -> p.tableName("jobs").item(job("j1", "QUEUED")));
        client.updateItem(u -> u.tableName("jobs").key(Map.of("pk", AttributeValue.fromS("j1")))
                .updateExpression("SET #s = :s").expressionAttributeNames(Map.of("#s", "state"))
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("RUNNING"))));
        client.deleteItem(d -> d.tableName("jobs").key(Map.of("pk", AttributeValue.fromS("j1"))));

        List<StreamRecord> records = capture.log("jobs").orElseThrow().read(0, 10);

        assertEquals(List.of(StreamEventName.INSERT, StreamEventName.MODIFY, StreamEventName.REMOVE),
                records.stream().map(StreamRecord::eventName).toList());
        assertEquals(List.of(1L, 2L, 3L), records.stream().map(StreamRecord::sequenceNumber).toList());
        assertEquals(Map.of(), records.get(0).oldImage());
        assertEquals(job("j1", "QUEUED"), records.get(0).newImage());
        assertEquals(job("j1", "QUEUED"), records.get(1).oldImage());
        assertEquals(job("j1", "RUNNING"), records.get(1).newImage());
        assertEquals(job("j1", "RUNNING"), records.get(2).oldImage());
        assertEquals(Map.of(), records.get(2).newImage());
        assertEquals(Map.of("pk", AttributeValue.fromS("j1")), records.get(2).keys());
    }

    @Test
    void shouldEmitNothing_whenAConditionFailsOrTheItemIsUnchanged() {
        client.putItem(p -> p.tableName("jobs").item(job("j1", "QUEUED")));

        assertThrows(ConditionalCheckFailedException.class, () -> client.putItem(p -> p.tableName("jobs")
                .item(job("j1", "RUNNING")).conditionExpression("attribute_not_exists(pk)")));
        client.putItem(p -> p.tableName("jobs").item(job("j1", "QUEUED")));

        assertEquals(1, capture.log("jobs").orElseThrow().lastSequence());
    }

    @Test
    void shouldCaptureEveryItem_whenABatchWriteTouchesSeveral() {
        client.putItem(p -> p.tableName("jobs").item(job("j1", "QUEUED")));
        client.batchWriteItem(b -> b.requestItems(Map.of("jobs", List.of(
                software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder()
                        .putRequest(p -> p.item(job("j2", "QUEUED"))).build(),
                software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder()
                        .deleteRequest(d -> d.key(Map.of("pk", AttributeValue.fromS("j1")))).build()))));

        List<StreamEventName> names = capture.log("jobs").orElseThrow().read(1, 10).stream()
                .map(StreamRecord::eventName).sorted().toList();

        assertEquals(List.of(StreamEventName.INSERT, StreamEventName.REMOVE), names);
    }

    @Test
    void shouldResumeSequenceAndCheckpoints_whenEverythingRestartsOnTheSameDataDir() {
        client.putItem(p -> p.tableName("jobs").item(job("j1", "QUEUED")));
        client.putItem(p -> p.tableName("jobs").item(job("j2", "QUEUED")));
        capture.log("jobs").orElseThrow().commitCheckpoint("state-reactor", 1);

        closeClients();
        dynalite.close();
        dynalite = Dynalite.start(data.resolve("dynamodb"), NODE_MODULES);
        openClients();
        client.putItem(p -> p.tableName("jobs").item(job("j3", "QUEUED")));

        StreamLog log = capture.log("jobs").orElseThrow();
        long checkpoint = log.checkpoint("state-reactor");
        List<StreamRecord> unread = log.read(checkpoint, 10);
        assertEquals(1, checkpoint);
        assertEquals(List.of(2L, 3L), unread.stream().map(StreamRecord::sequenceNumber).toList());
        assertEquals("j3", unread.get(1).keys().get("pk").s());
        // dynalite kept the items across its own restart too
        assertEquals(3, reader.scan(s -> s.tableName("jobs")).count());
    }

    @Test
    void shouldWakeAWaitingConsumer_whenAWriteArrives() throws Exception {
        StreamLog log = capture.log("jobs").orElseThrow();
        CompletableFuture<List<StreamRecord>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return log.await(0, 10, Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertFalse(waiting.isDone());

        client.putItem(p -> p.tableName("jobs").item(job("j1", "QUEUED")));

        assertEquals(1, waiting.get(5, TimeUnit.SECONDS).size());
    }

    @Test
    void shouldBuildALambdaDynamodbEvent_whenRecordsAreHandedToAFunction() {
        client.putItem(p -> p.tableName("jobs").item(job("j1", "QUEUED")));
        client.putItem(p -> p.tableName("jobs").item(job("j1", "RUNNING")));

        DynamodbEvent event = StreamEvents.toLambdaEvent(capture.log("jobs").orElseThrow().read(0, 10));

        DynamodbEvent.DynamodbStreamRecord modify = event.getRecords().get(1);
        assertEquals("MODIFY", modify.getEventName());
        assertEquals("aws:dynamodb", modify.getEventSource());
        assertEquals("QUEUED", modify.getDynamodb().getOldImage().get("state").getS());
        assertEquals("RUNNING", modify.getDynamodb().getNewImage().get("state").getS());
        assertEquals("j1", modify.getDynamodb().getKeys().get("pk").getS());
        assertEquals("NEW_AND_OLD_IMAGES", modify.getDynamodb().getStreamViewType());
        assertTrue(modify.getDynamodb().getSequenceNumber()
                .compareTo(event.getRecords().get(0).getDynamodb().getSequenceNumber()) > 0);
        assertEquals(StreamEvents.streamArn("jobs"), modify.getEventSourceARN());
    }

    @Test
    void shouldDeleteExpiredItemsAsServiceRemovals_whenTheSweeperRuns() {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        client.putItem(p -> p.tableName("jobs").item(Map.of("pk", AttributeValue.fromS("old"),
                "expiresAt", AttributeValue.fromN(Long.toString(now.getEpochSecond() - 1)))));
        client.putItem(p -> p.tableName("jobs").item(Map.of("pk", AttributeValue.fromS("fresh"),
                "expiresAt", AttributeValue.fromN(Long.toString(now.getEpochSecond() + 60)))));
        TtlSweeper sweeper = new TtlSweeper(client, Clock.fixed(now, ZoneOffset.UTC)).enable("jobs", "expiresAt");

        int deleted = sweeper.sweepOnce();

        assertEquals(1, deleted);
        assertEquals(1, reader.scan(s -> s.tableName("jobs")).count());
        StreamRecord removal = capture.log("jobs").orElseThrow().read(2, 10).getFirst();
        assertEquals(StreamEventName.REMOVE, removal.eventName());
        assertTrue(removal.byTimeToLive());
        DynamodbEvent event = StreamEvents.toLambdaEvent(List.of(removal));
        assertEquals("dynamodb.amazonaws.com", event.getRecords().getFirst().getUserIdentity().getPrincipalId());
        assertFalse(capture.log("jobs").orElseThrow().read(0, 1).getFirst().byTimeToLive());
    }
}
