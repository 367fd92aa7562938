package io.hybridci.local.runtime;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.local.engine.dynamodb.StreamEventName;
import io.hybridci.local.engine.dynamodb.StreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamEventSourceMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final InMemoryStreamSource source = new InMemoryStreamSource(
            "arn:aws:dynamodb:us-east-1:000000000000:table/state/stream/local", "shardId-local");
    private final List<List<String>> invocations = new CopyOnWriteArrayList<>();
    private final List<String> onFailure = new CopyOnWriteArrayList<>();
    private final InvocationStats stats = new InvocationStats();

    /** A handler that records the eventIDs of each batch and answers with {@code behaviour}. */
    private LocalFunction<DynamodbEvent, Object> handler(Function<List<String>, Object> behaviour) {
        return new LocalFunction<>(LocalFunction.Settings.of("state-reactor", 512, Duration.ofSeconds(30)), (event, context) -> {
            List<String> ids = event.getRecords().stream().map(DynamodbEvent.DynamodbStreamRecord::getEventID).toList();
            invocations.add(ids);
            return behaviour.apply(ids);
        }, stats);
    }

    private StreamEventSourceMapping mapping(int batchSize, int maxRetries, boolean bisect, boolean reportFailures,
                                             Function<List<String>, Object> behaviour) {
        return new StreamEventSourceMapping(source,
                new StreamEventSourceMapping.Config(batchSize, StreamEventSourceMapping.StartingPosition.TRIM_HORIZON,
                        maxRetries, bisect, reportFailures, Duration.ZERO),
                handler(behaviour), onFailure::add);
    }

    private List<String> append(String... eventIds) {
        List<String> sequences = new ArrayList<>();
        for (String id : eventIds) {
            DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
            record.setEventID(id);
            record.setEventName("INSERT");
            StreamRecord dynamodb = new StreamRecord();
            dynamodb.setApproximateCreationDateTime(new Date(1_700_000_000_000L));
            record.setDynamodb(dynamodb);
            sequences.add(source.append(record));
        }
        return sequences;
    }

    private static RuntimeException fail(String message) {
        return new IllegalStateException(message);
    }

    @Test
    void shouldInvokeInBatchesAndCheckpointPastEach_whenHandlerSucceeds() {
        List<String> sequences = append("a", "b", "c", "d", "e");
        var mapping = mapping(2, 3, false, false, ids -> null);
        assertEquals(5, mapping.drainAvailable());
        assertEquals(List.of(List.of("a", "b"), List.of("c", "d"), List.of("e")), invocations);
        assertEquals(sequences.getLast(), source.checkpoint("state-reactor").orElseThrow());
        assertEquals(0, mapping.drainAvailable());
    }

    @Test
    void shouldResumeFromCheckpoint_whenAMappingIsRecreated() {
        append("a", "b");
        mapping(10, 0, false, false, ids -> null).drainAvailable();
        append("c");
        invocations.clear();
        mapping(10, 0, false, false, ids -> null).drainAvailable();
        assertEquals(List.of(List.of("c")), invocations);
    }

    @Test
    void shouldCheckpointBeforeLowestFailureAndRetryFromThere_whenHandlerReportsItemFailures() {
        List<String> sequences = append("a", "b", "c", "d");
        Set<String> failedOnce = new java.util.HashSet<>();
        var mapping = mapping(10, 3, false, true, ids -> {
            // d and b fail the first time they are seen: the lowest (b) decides where the retry starts.
            List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
            for (String failing : List.of("d", "b")) {
                if (ids.contains(failing) && failedOnce.add(failing)) {
                    failures.add(new StreamsEventResponse.BatchItemFailure(sequences.get("abcd".indexOf(failing))));
                }
            }
            return new StreamsEventResponse(failures);
        });
        assertEquals(4, mapping.drainAvailable());
        assertEquals(List.of(List.of("a", "b", "c", "d"), List.of("b", "c", "d")), invocations);
        assertEquals(sequences.getLast(), source.checkpoint("state-reactor").orElseThrow());
        assertTrue(onFailure.isEmpty());
    }

    @Test
    void shouldTreatWholeBatchAsFailed_whenItemIdentifierIsNotInTheBatch() {
        append("a", "b");
        int[] calls = {0};
        var mapping = mapping(10, 5, false, true, ids -> calls[0]++ == 0
                ? new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure("999")))
                : null);
        mapping.drainAvailable();
        assertEquals(List.of(List.of("a", "b"), List.of("a", "b")), invocations);
    }

    @Test
    void shouldRetryTheBatch_whenHandlerThrowsThenRecovers() {
        append("a", "b");
        int[] calls = {0};
        var mapping = mapping(10, 2, false, false, ids -> {
            if (calls[0]++ < 2) throw fail("transient");
            return null;
        });
        assertEquals(2, mapping.drainAvailable());
        assertEquals(3, invocations.size());
        assertTrue(onFailure.isEmpty());
        assertEquals(2, stats.of("state-reactor").errors());
    }

    @Test
    void shouldSendBatchMetadataToOnFailureAndMoveOn_whenRetriesAreExhausted() throws Exception {
        List<String> sequences = append("a", "b", "c");
        var mapping = mapping(2, 2, false, false, ids -> {
            if (ids.contains("a")) throw fail("poison");
            return null;
        });
        assertEquals(3, mapping.drainAvailable());
        // 1 try + 2 retries of [a, b], then [c] once.
        assertEquals(List.of(List.of("a", "b"), List.of("a", "b"), List.of("a", "b"), List.of("c")), invocations);
        assertEquals(1, onFailure.size());
        JsonNode record = JSON.readTree(onFailure.getFirst());
        JsonNode info = record.get("DDBStreamBatchInfo");
        assertEquals("shardId-local", info.get("shardId").asText());
        assertEquals(sequences.get(0), info.get("startSequenceNumber").asText());
        assertEquals(sequences.get(1), info.get("endSequenceNumber").asText());
        assertEquals(2, info.get("batchSize").asInt());
        assertEquals(source.streamArn(), info.get("streamArn").asText());
        assertEquals("2023-11-14T22:13:20Z", info.get("approximateArrivalOfFirstRecord").asText());
        assertEquals("RetryAttemptsExhausted", record.get("requestContext").get("condition").asText());
        assertEquals(3, record.get("requestContext").get("approximateInvokeCount").asInt());
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:state-reactor",
                record.get("requestContext").get("functionArn").asText());
        assertEquals("1.0", record.get("version").asText());
        assertEquals(sequences.getLast(), source.checkpoint("state-reactor").orElseThrow());
    }

    @Test
    void shouldIsolatePoisonRecordByBisecting_whenBisectOnErrorIsSet() throws Exception {
        List<String> sequences = append("a", "b", "c", "d");
        var mapping = mapping(4, 1, true, false, ids -> {
            if (ids.contains("c")) throw fail("poison c");
            return null;
        });
        assertEquals(4, mapping.drainAvailable());
        // [abcd] fails → [ab] ok, [cd] fails → [c] fails twice (1 retry) → on-failure; [d] ok. Splits cost no retry.
        assertEquals(List.of(List.of("a", "b", "c", "d"), List.of("a", "b"), List.of("c", "d"), List.of("c"), List.of("c"),
                List.of("d")), invocations);
        assertEquals(1, onFailure.size());
        JsonNode info = JSON.readTree(onFailure.getFirst()).get("DDBStreamBatchInfo");
        assertEquals(sequences.get(2), info.get("startSequenceNumber").asText());
        assertEquals(sequences.get(2), info.get("endSequenceNumber").asText());
        assertEquals(1, info.get("batchSize").asInt());
        assertEquals(sequences.getLast(), source.checkpoint("state-reactor").orElseThrow());
    }

    @Test
    void shouldNotMovePastRecords_whenOnFailureDestinationRefusesThem() {
        append("a");
        List<String> refused = new CopyOnWriteArrayList<>();
        var mapping = new StreamEventSourceMapping(source,
                new StreamEventSourceMapping.Config(1, StreamEventSourceMapping.StartingPosition.TRIM_HORIZON, 0, false, false,
                        Duration.ZERO),
                handler(ids -> { throw fail("poison"); }),
                json -> {
                    refused.add(json);
                    throw new IllegalStateException("queue unavailable");
                });
        Thread closer = Thread.ofVirtual().start(() -> {
            while (refused.isEmpty()) Thread.onSpinWait();
            mapping.close();
        });
        mapping.drainAvailable();
        assertTrue(source.checkpoint("state-reactor").isEmpty());
        assertTrue(!refused.isEmpty(), "the destination was asked");
        assertTrue(invocations.size() == 1, "no second attempt on the record");
    }

    @Test
    void shouldStartAfterExistingRecords_whenStartingPositionIsLatest() {
        append("old");
        var mapping = new StreamEventSourceMapping(source,
                new StreamEventSourceMapping.Config(10, StreamEventSourceMapping.StartingPosition.LATEST, 0, false, false,
                        Duration.ZERO),
                handler(ids -> null), onFailure::add);
        append("new");
        mapping.drainAvailable();
        assertEquals(List.of(List.of("new")), invocations);
    }

    @Test
    void shouldWakeOnArrival_whenRunningInTheBackground() throws Exception {
        try (var mapping = mapping(10, 0, false, false, ids -> null).start()) {
            Thread.sleep(50); // let it block in the source's await
            long appendedAt = System.nanoTime();
            String sequence = append("x").getFirst();
            while (!source.checkpoint("state-reactor").equals(java.util.Optional.of(sequence))) {
                assertTrue(System.nanoTime() - appendedAt < Duration.ofSeconds(5).toNanos(), "not processed in 5 s");
                Thread.onSpinWait();
            }
            // Well under the 1 s await slice: the append woke the reader.
            assertTrue(System.nanoTime() - appendedAt < Duration.ofMillis(500).toNanos());
        }
        assertEquals(List.of(List.of("x")), invocations);
    }

    @Test
    void shouldReadCapturedStreamLogAndPersistCheckpoint_whenSourceIsTheEngineLog(@TempDir Path directory) {
        StreamLog log = StreamLog.open(directory, "state");
        try {
            var key = Map.of("pk", AttributeValue.fromS("JOB#1"), "sk", AttributeValue.fromS("JOB"));
            log.append(StreamEventName.INSERT, key, Map.of(), Map.of("pk", AttributeValue.fromS("JOB#1"),
                    "sk", AttributeValue.fromS("JOB"), "state", AttributeValue.fromS("QUEUED")), false);
            log.append(StreamEventName.REMOVE, key, Map.of("pk", AttributeValue.fromS("JOB#1"),
                    "sk", AttributeValue.fromS("JOB")), Map.of(), false);
            List<DynamodbEvent.DynamodbStreamRecord> seen = new CopyOnWriteArrayList<>();
            var mapping = new StreamEventSourceMapping(new StreamLogSource(log),
                    new StreamEventSourceMapping.Config(100, StreamEventSourceMapping.StartingPosition.TRIM_HORIZON, 0, false,
                            true, Duration.ZERO),
                    new LocalFunction<>(LocalFunction.Settings.of("audit-writer", 256, Duration.ofSeconds(10)), (event, context) -> {
                        seen.addAll(event.getRecords());
                        return new StreamsEventResponse();
                    }, stats),
                    onFailure::add);
            assertEquals(2, mapping.drainAvailable());
            assertEquals(List.of("INSERT", "REMOVE"), seen.stream().map(DynamodbEvent.DynamodbStreamRecord::getEventName).toList());
            assertEquals("QUEUED", seen.getFirst().getDynamodb().getNewImage().get("state").getS());
            assertEquals(log.streamArn(), seen.getFirst().getEventSourceARN());
            assertEquals(2, log.checkpoint("audit-writer"));
        } finally {
            log.close();
        }
        StreamLog reopened = StreamLog.open(directory, "state");
        try {
            assertEquals(2, reopened.checkpoint("audit-writer"));
        } finally {
            reopened.close();
        }
    }
}
