package io.hybridci.local.runtime;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import io.hybridci.local.engine.dynamodb.StreamEvents;
import io.hybridci.local.engine.dynamodb.StreamLog;
import io.hybridci.local.engine.dynamodb.StreamRecord;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The local cloud's captured DynamoDB stream ({@link StreamLog}) as a {@link StreamSource}: records become the
 * {@link DynamodbEvent} records Lambda would deliver ({@link StreamEvents#toLambdaEvent}), checkpoints are the
 * log's persisted per-consumer checkpoints, and waiting uses the log's wake-on-append.
 */
public final class StreamLogSource implements StreamSource {

    /** The log has one shard per table; this is the id on-failure records name. */
    private static final String SHARD_ID = "shardId-00000000000000000000-local";
    /** Same offset as {@link StreamRecord#sequenceNumberText()}: log sequence n is stream sequence 10^20 + n. */
    private static final BigInteger SEQUENCE_OFFSET = BigInteger.TEN.pow(20);

    private final StreamLog log;

    public StreamLogSource(StreamLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override public String streamArn() { return log.streamArn(); }
    @Override public String shardId() { return SHARD_ID; }

    @Override
    public List<DynamodbEvent.DynamodbStreamRecord> readAfter(String afterSequence, int max) {
        List<StreamRecord> records = log.read(logSequence(afterSequence), max);
        return records.isEmpty() ? List.of() : StreamEvents.toLambdaEvent(records).getRecords();
    }

    @Override
    public boolean awaitAfter(String afterSequence, Duration timeout) throws InterruptedException {
        return !log.await(logSequence(afterSequence), 1, timeout).isEmpty();
    }

    @Override
    public Optional<String> latestSequence() {
        return streamSequence(log.lastSequence());
    }

    @Override
    public Optional<String> checkpoint(String consumer) {
        return streamSequence(log.checkpoint(consumer));
    }

    @Override
    public void saveCheckpoint(String consumer, String sequence) {
        log.commitCheckpoint(consumer, logSequence(sequence));
    }

    private static long logSequence(String streamSequence) {
        return streamSequence == null ? 0 : StreamRecord.sequenceNumberOf(streamSequence);
    }

    /** 0 is the log's "nothing yet". */
    private static Optional<String> streamSequence(long logSequence) {
        return logSequence == 0 ? Optional.empty() : Optional.of(SEQUENCE_OFFSET.add(BigInteger.valueOf(logSequence)).toString());
    }
}
