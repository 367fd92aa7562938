package io.hybridci.local.runtime;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One shard of a DynamoDB stream, as a {@link StreamEventSourceMapping} reads it: records in sequence
 * order, a way to wait for the next one without polling on a timer, and persisted per-consumer
 * checkpoints. The local cloud's stream capture log implements it; {@link InMemoryStreamSource} does for tests.
 *
 * <p>Sequence numbers are decimal strings that grow with every record, as in DynamoDB Streams.
 */
public interface StreamSource {

    /** The stream ARN the records carry as {@code eventSourceARN}. */
    String streamArn();

    /** The shard id written into on-failure records. */
    String shardId();

    /** Up to {@code max} records with a sequence number above {@code afterSequence} (null: from the oldest). */
    List<DynamodbEvent.DynamodbStreamRecord> readAfter(String afterSequence, int max);

    /**
     * Blocks until a record above {@code afterSequence} exists or {@code timeout} passes.
     *
     * @return whether such a record exists
     */
    boolean awaitAfter(String afterSequence, Duration timeout) throws InterruptedException;

    /** The sequence number of the newest record, empty if the stream has none (where LATEST starts). */
    Optional<String> latestSequence();

    /** The last sequence number {@code consumer} finished with, if it ever checkpointed. */
    Optional<String> checkpoint(String consumer);

    /** Persists that {@code consumer} is done with every record up to and including {@code sequence}. */
    void saveCheckpoint(String consumer, String sequence);
}
