package io.hybridci.local.engine.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class StreamLogTest {

    static final Map<String, AttributeValue> KEY = Map.of("pk", AttributeValue.fromS("a"));

    @Test
    void shouldDropATornLastLineAndKeepAppending_whenReopenedAfterACrash(@TempDir Path dir) throws Exception {
        StreamLog log = StreamLog.open(dir, "jobs");
        log.append(StreamEventName.INSERT, KEY, Map.of(), Map.of("pk", AttributeValue.fromS("a"),
                "n", AttributeValue.fromN("1"), "tags", AttributeValue.fromSs(java.util.List.of("x", "y"))), false);
        log.close();
        Files.writeString(dir.resolve("jobs.jsonl"), "{\"seq\":2,\"id\":", StandardOpenOption.APPEND);

        StreamLog reopened = StreamLog.open(dir, "jobs");
        StreamRecord next = reopened.append(StreamEventName.REMOVE, KEY, KEY, Map.of(), false);

        assertEquals(2, next.sequenceNumber());
        assertEquals(AttributeValue.fromSs(java.util.List.of("x", "y")), StreamLog.open(dir, "jobs").read(0, 1).getFirst().newImage().get("tags"));
    }

    @Test
    void shouldReturnEmpty_whenAwaitTimesOutWithNothingNew(@TempDir Path dir) throws Exception {
        StreamLog log = StreamLog.open(dir, "jobs");

        assertTrue(log.await(0, 10, Duration.ofMillis(50)).isEmpty());
    }

    @Test
    void shouldClassifyImages_whenComparingBeforeAndAfter() {
        assertEquals(Optional.of(StreamEventName.INSERT), StreamCapture.change(Map.of(), KEY));
        assertEquals(Optional.of(StreamEventName.REMOVE), StreamCapture.change(KEY, Map.of()));
        assertEquals(Optional.empty(), StreamCapture.change(KEY, KEY));
        assertEquals(Optional.empty(), StreamCapture.change(Map.of(), Map.of()));
    }

    @Test
    void shouldRoundTripSequenceText_whenFormattedForLambda() {
        StreamRecord record = new StreamRecord(42, "id", StreamEventName.INSERT, "jobs", java.time.Instant.EPOCH,
                KEY, Map.of(), KEY, false);

        assertEquals("100000000000000000042", record.sequenceNumberText());
        assertEquals(42, StreamRecord.sequenceNumberOf(record.sequenceNumberText()));
    }
}
