package io.hybridci.local.runtime;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link StreamSource} held in memory: records appended by tests (or by anything that has no table),
 * checkpoints kept in a map. Waiting readers wake on {@link #append}.
 */
public final class InMemoryStreamSource implements StreamSource {

    private final String streamArn;
    private final String shardId;
    private final List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
    private final Map<String, String> checkpoints = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private BigInteger nextSequence = new BigInteger("100000000000000000001");

    public InMemoryStreamSource(String streamArn, String shardId) {
        this.streamArn = streamArn;
        this.shardId = shardId;
    }

    /** Appends a record, giving it the next sequence number and this stream's ARN; returns the sequence number. */
    public String append(DynamodbEvent.DynamodbStreamRecord record) {
        lock.lock();
        try {
            String sequence = nextSequence.toString();
            nextSequence = nextSequence.add(BigInteger.ONE);
            if (record.getDynamodb() == null) record.setDynamodb(new StreamRecord());
            record.getDynamodb().setSequenceNumber(sequence);
            record.setEventSourceARN(streamArn);
            records.add(record);
            appended.signalAll();
            return sequence;
        } finally {
            lock.unlock();
        }
    }

    @Override public String streamArn() { return streamArn; }
    @Override public String shardId() { return shardId; }

    @Override
    public List<DynamodbEvent.DynamodbStreamRecord> readAfter(String afterSequence, int max) {
        lock.lock();
        try {
            return records.stream().filter(r -> isAfter(r, afterSequence)).limit(max).toList();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean awaitAfter(String afterSequence, Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (records.stream().noneMatch(r -> isAfter(r, afterSequence))) {
                if (remaining <= 0) return false;
                remaining = appended.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<String> latestSequence() {
        lock.lock();
        try {
            return records.isEmpty() ? Optional.empty() : Optional.of(records.getLast().getDynamodb().getSequenceNumber());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<String> checkpoint(String consumer) {
        lock.lock();
        try {
            return Optional.ofNullable(checkpoints.get(consumer));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void saveCheckpoint(String consumer, String sequence) {
        lock.lock();
        try {
            checkpoints.put(consumer, sequence);
        } finally {
            lock.unlock();
        }
    }

    private static boolean isAfter(DynamodbEvent.DynamodbStreamRecord record, String afterSequence) {
        return afterSequence == null
                || new BigInteger(record.getDynamodb().getSequenceNumber()).compareTo(new BigInteger(afterSequence)) > 0;
    }
}
