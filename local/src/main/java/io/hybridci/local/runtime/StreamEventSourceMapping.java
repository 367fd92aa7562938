package io.hybridci.local.runtime;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A DynamoDB Streams event-source mapping over one {@link StreamSource} shard, with Lambda's semantics
 * (<a href="https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html">error handling</a>,
 * <a href="https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html">partial batch responses</a>):
 * <ul>
 *   <li>Reads from the consumer's checkpoint (or the starting position), in order, {@code batchSize} records per
 *       invocation; waits on the source for new records instead of sleeping a fixed interval.</li>
 *   <li>A batch that succeeds moves the checkpoint past its last record.</li>
 *   <li>With {@code reportBatchItemFailures}, a {@link StreamsEventResponse} moves the checkpoint up to (not including)
 *       the lowest failed sequence number and retries from there; a null/empty identifier, or one not in the
 *       batch, fails the whole batch.</li>
 *   <li>A thrown exception retries the batch. With {@code bisectOnError} a failed batch of more than one record is
 *       split in two first; splitting does not count towards the retry quota (as in AWS).</li>
 *   <li>When a (sub-)batch has failed {@code maxRetryAttempts} retries (-1: forever), its metadata (the shape Lambda
 *       sends, with {@code DDBStreamBatchInfo}) goes to the {@link OnFailureDestination} and the mapping moves on.
 *       The checkpoint passes those records only after the destination has accepted the record: nothing is dropped
 *       silently.</li>
 * </ul>
 * One record at a time per shard, as Lambda does with a parallelization factor of 1; the consumer name for
 * checkpoints is the function's name.
 */
public final class StreamEventSourceMapping implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamEventSourceMapping.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a wait for new records lasts before the loop re-checks whether it was closed. */
    private static final Duration AWAIT_SLICE = Duration.ofSeconds(1);

    /** Where a mapping without a checkpoint starts. */
    public enum StartingPosition { TRIM_HORIZON, LATEST }

    /**
     * The mapping's settings, as in {@code CreateEventSourceMapping}.
     *
     * @param maxRetryAttempts retries after the first failed invocation; -1 retries until the record expires (forever here)
     * @param retryDelay       pause before a retry, so a failing handler does not spin a core
     */
    public record Config(int batchSize, StartingPosition startingPosition, int maxRetryAttempts, boolean bisectOnError,
                         boolean reportBatchItemFailures, Duration retryDelay) {
        public Config {
            Objects.requireNonNull(startingPosition, "startingPosition");
            Objects.requireNonNull(retryDelay, "retryDelay");
            if (batchSize < 1 || batchSize > 10_000) throw new IllegalArgumentException("batchSize must be 1..10000: " + batchSize);
            if (maxRetryAttempts < -1 || maxRetryAttempts > 10_000) {
                throw new IllegalArgumentException("maxRetryAttempts must be -1..10000: " + maxRetryAttempts);
            }
        }
    }

    private final StreamSource source;
    private final Config config;
    private final LocalFunction<DynamodbEvent, ?> function;
    private final OnFailureDestination onFailure;
    private final String consumer;
    private volatile boolean running = true;
    private volatile Thread poller;
    private String position;

    public StreamEventSourceMapping(StreamSource source, Config config, LocalFunction<DynamodbEvent, ?> function,
                                    OnFailureDestination onFailure) {
        this.source = Objects.requireNonNull(source, "source");
        this.config = Objects.requireNonNull(config, "config");
        this.function = Objects.requireNonNull(function, "function");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
        this.consumer = function.name();
        Optional<String> checkpoint = source.checkpoint(consumer);
        if (checkpoint.isPresent()) {
            position = checkpoint.get();
        } else if (config.startingPosition() == StartingPosition.LATEST) {
            position = source.latestSequence().orElse(null);
            if (position != null) source.saveCheckpoint(consumer, position);
        }
    }

    /** Starts reading on a virtual thread. */
    public synchronized StreamEventSourceMapping start() {
        if (poller == null) poller = Thread.ofVirtual().name("stream-esm-" + consumer).start(this::readUntilClosed);
        return this;
    }

    private void readUntilClosed() {
        while (running) {
            try {
                if (drainAvailable() == 0) source.awaitAfter(position, AWAIT_SLICE);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("{}: stream mapping failed, retrying: {}", consumer, e.toString(), e);
                if (!sleep(Duration.ofSeconds(1))) return;
            }
        }
    }

    /**
     * Processes every record available now, batch after batch, on the calling thread (what the background
     * reader does; tests call it directly to step the mapping).
     *
     * @return how many records the checkpoint moved past (handled or handed to the on-failure destination)
     */
    public synchronized int drainAvailable() {
        int done = 0;
        while (running) {
            List<DynamodbEvent.DynamodbStreamRecord> batch = source.readAfter(position, config.batchSize());
            if (batch.isEmpty()) return done;
            String before = position;
            processBatch(batch);
            done += countBetween(batch, before, position);
            if (Objects.equals(before, position)) return done; // closed mid-batch
        }
        return done;
    }

    /** A (sub-)batch on its way, with the retries it has used. */
    private record Attempt(List<DynamodbEvent.DynamodbStreamRecord> records, int retries) {}

    private sealed interface Outcome {
        record Succeeded() implements Outcome {}
        record FailedFrom(int index) implements Outcome {}
        record Failed() implements Outcome {}
    }

    private void processBatch(List<DynamodbEvent.DynamodbStreamRecord> batch) {
        Deque<Attempt> work = new ArrayDeque<>();
        work.push(new Attempt(batch, 0));
        while (!work.isEmpty() && running) {
            Attempt attempt = work.pop();
            switch (invoke(attempt.records())) {
                case Outcome.Succeeded ignored -> advanceTo(attempt.records().getLast());
                case Outcome.FailedFrom(int index) -> {
                    if (index > 0) advanceTo(attempt.records().get(index - 1));
                    retryOrGiveUp(work, new Attempt(attempt.records().subList(index, attempt.records().size()),
                            attempt.retries() + 1));
                }
                case Outcome.Failed ignored -> {
                    if (config.bisectOnError() && attempt.records().size() > 1) {
                        int half = attempt.records().size() / 2;
                        work.push(new Attempt(attempt.records().subList(half, attempt.records().size()), attempt.retries()));
                        work.push(new Attempt(attempt.records().subList(0, half), attempt.retries()));
                    } else {
                        retryOrGiveUp(work, new Attempt(attempt.records(), attempt.retries() + 1));
                    }
                }
            }
        }
    }

    private Outcome invoke(List<DynamodbEvent.DynamodbStreamRecord> records) {
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(List.copyOf(records));
        Object response;
        try {
            response = function.invoke(event);
        } catch (RuntimeException e) {
            return new Outcome.Failed();
        }
        if (!config.reportBatchItemFailures() || !(response instanceof StreamsEventResponse streamsResponse)
                || streamsResponse.getBatchItemFailures() == null || streamsResponse.getBatchItemFailures().isEmpty()) {
            return new Outcome.Succeeded();
        }
        int lowest = Integer.MAX_VALUE;
        for (StreamsEventResponse.BatchItemFailure failure : streamsResponse.getBatchItemFailures()) {
            String id = failure == null ? null : failure.getItemIdentifier();
            int index = id == null || id.isEmpty() ? -1 : indexOf(records, id);
            if (index < 0) {
                LOG.warn("{}: batchItemFailures names {} which is not in the batch: whole batch failed", consumer, id);
                return new Outcome.Failed();
            }
            lowest = Math.min(lowest, index);
        }
        return new Outcome.FailedFrom(lowest);
    }

    private void retryOrGiveUp(Deque<Attempt> work, Attempt attempt) {
        if (config.maxRetryAttempts() >= 0 && attempt.retries() > config.maxRetryAttempts()) {
            giveUp(attempt);
            return;
        }
        if (!sleep(config.retryDelay())) return;
        work.push(attempt);
    }

    /** Hands the records' metadata to the on-failure destination, then moves past them. */
    private void giveUp(Attempt attempt) {
        String json = invocationRecord(attempt);
        while (running) {
            try {
                onFailure.send(json);
                LOG.error("{}: gave up on stream records {}..{} after {} retries; metadata sent to the on-failure destination",
                        consumer, sequenceOf(attempt.records().getFirst()), sequenceOf(attempt.records().getLast()),
                        attempt.retries() - 1);
                advanceTo(attempt.records().getLast());
                return;
            } catch (RuntimeException e) {
                LOG.error("{}: on-failure destination refused records, not moving past them: {}", consumer, e.toString());
                if (!sleep(Duration.ofSeconds(1))) return;
            }
        }
    }

    /** The record Lambda sends to an on-failure destination for a stream source. */
    record InvocationRecord(RequestContext requestContext, ResponseContext responseContext, String version,
                            String timestamp, @JsonProperty("DDBStreamBatchInfo") BatchInfo ddbStreamBatchInfo) {}

    record RequestContext(String requestId, String functionArn, String condition, int approximateInvokeCount) {}

    record ResponseContext(int statusCode, String executedVersion, String functionError) {}

    record BatchInfo(String shardId, String startSequenceNumber, String endSequenceNumber,
                     String approximateArrivalOfFirstRecord, String approximateArrivalOfLastRecord,
                     int batchSize, String streamArn) {}

    private String invocationRecord(Attempt attempt) {
        List<DynamodbEvent.DynamodbStreamRecord> records = attempt.records();
        InvocationRecord record = new InvocationRecord(
                new RequestContext(UUID.randomUUID().toString(), arnOf(function.settings()), "RetryAttemptsExhausted",
                        attempt.retries()),
                new ResponseContext(200, "$LATEST", "Unhandled"),
                "1.0",
                Instant.now().toString(),
                new BatchInfo(source.shardId(), sequenceOf(records.getFirst()), sequenceOf(records.getLast()),
                        arrivalOf(records.getFirst()), arrivalOf(records.getLast()), records.size(), source.streamArn()));
        try {
            return JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize an on-failure record", e);
        }
    }

    private static String arnOf(LocalFunction.Settings settings) {
        return "arn:aws:lambda:" + settings.region() + ":" + settings.accountId() + ":function:" + settings.name();
    }

    private static String arrivalOf(DynamodbEvent.DynamodbStreamRecord record) {
        Date created = record.getDynamodb().getApproximateCreationDateTime();
        return created == null ? null : created.toInstant().toString();
    }

    private void advanceTo(DynamodbEvent.DynamodbStreamRecord record) {
        position = sequenceOf(record);
        source.saveCheckpoint(consumer, position);
    }

    private static String sequenceOf(DynamodbEvent.DynamodbStreamRecord record) {
        return record.getDynamodb().getSequenceNumber();
    }

    private static int indexOf(List<DynamodbEvent.DynamodbStreamRecord> records, String sequence) {
        for (int i = 0; i < records.size(); i++) {
            if (sequence.equals(sequenceOf(records.get(i)))) return i;
        }
        return -1;
    }

    private static int countBetween(List<DynamodbEvent.DynamodbStreamRecord> batch, String before, String after) {
        if (after == null) return 0;
        BigInteger low = before == null ? null : new BigInteger(before);
        BigInteger high = new BigInteger(after);
        return (int) batch.stream().map(r -> new BigInteger(sequenceOf(r)))
                .filter(s -> (low == null || s.compareTo(low) > 0) && s.compareTo(high) <= 0).count();
    }

    private static boolean sleep(Duration duration) {
        if (duration.isZero()) return true;
        try {
            Thread.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The sequence number the mapping has finished with (its checkpoint), if any. */
    public Optional<String> position() {
        return Optional.ofNullable(position);
    }

    /** Stops reading; records not yet checkpointed are read again by the next mapping on this source. */
    @Override
    public void close() {
        running = false;
        Thread reader = poller;
        if (reader == null) return;
        reader.interrupt();
        try {
            reader.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
