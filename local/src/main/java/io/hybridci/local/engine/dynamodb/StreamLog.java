package io.hybridci.local.engine.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The persisted change log of one streaming table: what DynamoDB Streams would hold for it.
 *
 * <p>Records are appended to {@code <table>.jsonl} (one JSON object a line) and consumers' checkpoints
 * to {@code <table>.checkpoints.json}, both under the directory given to {@link #open}; reopening the
 * same directory resumes the sequence and every consumer's checkpoint. A line torn by a crash mid-write
 * is cut off on open. Appends reach the OS on every write but are not fsync'ed: they survive the JVM
 * dying, not the machine losing power.
 *
 * <p>Unlike AWS, records are kept until the file is deleted (AWS keeps 24 hours) and there is one shard
 * per table, so ordering is total per table rather than per item.
 *
 * <p>Thread-safe. {@link #await} wakes the moment a record is appended, so a poller costs no fixed sleep.
 */
public final class StreamLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SAFE_TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    private final String tableName;
    private final Path logFile;
    private final Path checkpointFile;
    private final FileChannel channel;
    private final List<StreamRecord> records = new ArrayList<>();
    private final Map<String, Long> checkpoints = new TreeMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();

    private StreamLog(String tableName, Path logFile, Path checkpointFile, FileChannel channel) {
        this.tableName = tableName;
        this.logFile = logFile;
        this.checkpointFile = checkpointFile;
        this.channel = channel;
    }

    /** Opens (or creates) the log of {@code tableName} under {@code directory}, loading what it holds. */
    public static StreamLog open(Path directory, String tableName) {
        if (!SAFE_TABLE_NAME.matcher(tableName).matches()) {
            throw new IllegalArgumentException("not a DynamoDB table name: " + tableName);
        }
        try {
            Files.createDirectories(directory);
            Path logFile = directory.resolve(tableName + ".jsonl");
            Path checkpointFile = directory.resolve(tableName + ".checkpoints.json");
            FileChannel channel = FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            StreamLog log = new StreamLog(tableName, logFile, checkpointFile, channel);
            log.load();
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the stream log of " + tableName + " in " + directory, e);
        }
    }

    /** The table this log belongs to. */
    public String tableName() {
        return tableName;
    }

    /** The ARN a Lambda event's {@code eventSourceARN} carries for this stream (fixed label, one stream per table). */
    public String streamArn() {
        return StreamEvents.streamArn(tableName);
    }

    /** Appends a change, giving it the next sequence number, and wakes every waiting consumer. */
    public StreamRecord append(StreamEventName eventName, Map<String, AttributeValue> keys,
            Map<String, AttributeValue> oldImage, Map<String, AttributeValue> newImage, boolean byTimeToLive) {
        lock.lock();
        try {
            StreamRecord record = new StreamRecord(lastSequenceLocked() + 1, UUID.randomUUID().toString(), eventName,
                    tableName, Instant.now(), keys, oldImage, newImage, byTimeToLive);
            byte[] line = (JSON.writeValueAsString(toJson(record)) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(line);
            long position = channel.size();
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
            records.add(record);
            appended.signalAll();
            return record;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + logFile, e);
        } finally {
            lock.unlock();
        }
    }

    /** Up to {@code max} records with a sequence number above {@code afterSequence}, oldest first. */
    public List<StreamRecord> read(long afterSequence, int max) {
        lock.lock();
        try {
            return readLocked(afterSequence, max);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Like {@link #read}, but when nothing is there yet waits until a record is appended or the timeout
     * passes; returns an empty list on timeout.
     */
    public List<StreamRecord> await(long afterSequence, int max, Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (lastSequenceLocked() <= afterSequence && remaining > 0) {
                remaining = appended.awaitNanos(remaining);
            }
            return readLocked(afterSequence, max);
        } finally {
            lock.unlock();
        }
    }

    /** The highest sequence number appended so far, 0 when the log is empty. */
    public long lastSequence() {
        lock.lock();
        try {
            return lastSequenceLocked();
        } finally {
            lock.unlock();
        }
    }

    /** The last sequence number {@code consumer} has processed, 0 when it has not checkpointed yet. */
    public long checkpoint(String consumer) {
        lock.lock();
        try {
            return checkpoints.getOrDefault(consumer, 0L);
        } finally {
            lock.unlock();
        }
    }

    /** Records, durably, that {@code consumer} has processed every record up to {@code sequence}. */
    public void commitCheckpoint(String consumer, long sequence) {
        lock.lock();
        try {
            checkpoints.put(consumer, sequence);
            // Write aside and rename, so a crash leaves either the old or the new checkpoints, never half.
            Path temporary = checkpointFile.resolveSibling(checkpointFile.getFileName() + ".tmp");
            Files.writeString(temporary, JSON.writeValueAsString(checkpoints));
            Files.move(temporary, checkpointFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + checkpointFile, e);
        } finally {
            lock.unlock();
        }
    }

    /** Closes the log file. Records already appended stay on disk. */
    public void close() {
        lock.lock();
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + logFile, e);
        } finally {
            lock.unlock();
        }
    }

    private long lastSequenceLocked() {
        return records.isEmpty() ? 0 : records.getLast().sequenceNumber();
    }

    private List<StreamRecord> readLocked(long afterSequence, int max) {
        // Sequence numbers are dense from 1, so the index of the first newer record is afterSequence.
        int from = (int) Math.min(Math.max(afterSequence, 0), records.size());
        int to = (int) Math.min((long) from + max, records.size());
        return List.copyOf(records.subList(from, to));
    }

    private void load() throws IOException {
        byte[] bytes = Files.readAllBytes(logFile);
        int lineStart = 0;
        long goodLength = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                String line = new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8);
                if (!line.isBlank()) {
                    records.add(fromJson(JSON.readTree(line)));
                }
                lineStart = i + 1;
                goodLength = lineStart;
            }
        }
        if (goodLength < bytes.length) {
            // The last line has no newline: the process died while writing it. Cut it off so the next
            // append starts on a clean line.
            channel.truncate(goodLength);
        }
        if (Files.exists(checkpointFile)) {
            JSON.readTree(checkpointFile.toFile()).properties()
                    .forEach(entry -> checkpoints.put(entry.getKey(), entry.getValue().asLong()));
        }
    }

    private static ObjectNode toJson(StreamRecord record) {
        ObjectNode node = JSON.createObjectNode();
        node.put("seq", record.sequenceNumber());
        node.put("id", record.eventId());
        node.put("name", record.eventName().name());
        node.put("table", record.tableName());
        node.put("time", record.approximateCreationDateTime().toEpochMilli());
        node.set("keys", AttributeValueJson.toJson(record.keys()));
        node.set("old", AttributeValueJson.toJson(record.oldImage()));
        node.set("new", AttributeValueJson.toJson(record.newImage()));
        node.put("ttl", record.byTimeToLive());
        return node;
    }

    private static StreamRecord fromJson(JsonNode node) {
        return new StreamRecord(node.get("seq").asLong(), node.get("id").asText(),
                StreamEventName.valueOf(node.get("name").asText()), node.get("table").asText(),
                Instant.ofEpochMilli(node.get("time").asLong()), AttributeValueJson.itemFromJson(node.get("keys")),
                AttributeValueJson.itemFromJson(node.get("old")), AttributeValueJson.itemFromJson(node.get("new")),
                node.get("ttl").asBoolean());
    }
}
