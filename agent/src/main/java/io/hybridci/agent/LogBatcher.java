package io.hybridci.agent;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Turns a job's output bytes into log chunks: flushed when a batch reaches {@link #flushBytes},
 * and at the latest {@link #maxDelay} after its first byte arrived, so a quiet job still shows
 * progress every second while a chatty one sends few, large messages.
 *
 * <p>Chunks are cut at UTF-8 character boundaries (a character split across two messages would
 * show as two replacement marks) and kept small enough that the JSON body, escapes included,
 * stays far below SQS's 256 KiB message limit. {@code offset} counts raw bytes of output, so
 * job-updater can spot a gap or an overlap whatever the text decodes to.
 *
 * <p>One thread appends (the process reader); a daemon thread of this class sends. The sink is
 * called from that one thread only, in order. A slow sink makes {@link #append} wait once
 * {@link #maxBuffered} bytes are pending: memory stays bounded and no output is ever dropped.
 */
public final class LogBatcher implements AutoCloseable {

    /** Receives each chunk in order; {@code offset} is the number of bytes sent before it. */
    @FunctionalInterface
    public interface ChunkSink {
        void send(String chunk, long offset) throws InterruptedException;
    }

    public static final int DEFAULT_FLUSH_BYTES = 64 * 1024;
    /** A chunk's raw size limit: the schema allows 131,072 characters, never more than bytes. */
    public static final int MAX_CHUNK_BYTES = 128 * 1024;
    /** A chunk's size once JSON-escaped (a NUL becomes six bytes): well under SQS's 256 KiB with the envelope. */
    static final int MAX_ESCAPED_BYTES = 200 * 1024;

    private final ChunkSink sink;
    private final int flushBytes;
    private final Duration maxDelay;
    private final int maxBuffered;
    private final Thread flusher;

    private byte[] pending = new byte[8192];
    private int pendingLength;
    private long firstPendingNanos;
    private boolean closed;
    private long sentBytes;
    private Throwable failure;

    public LogBatcher(ChunkSink sink, int flushBytes, Duration maxDelay, int maxBuffered) {
        this.sink = Objects.requireNonNull(sink, "sink");
        if (flushBytes < 1 || flushBytes > MAX_CHUNK_BYTES || maxBuffered < MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("flushBytes must be 1.." + MAX_CHUNK_BYTES + " and maxBuffered ≥ " + MAX_CHUNK_BYTES);
        }
        this.flushBytes = flushBytes;
        this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
        this.maxBuffered = maxBuffered;
        this.flusher = Thread.ofPlatform().daemon().name("log-flusher").start(this::flushLoop);
    }

    /** The defaults the agent uses: 64 KiB, one second, 8 MiB of backlog. */
    public static LogBatcher withDefaults(ChunkSink sink) {
        return new LogBatcher(sink, DEFAULT_FLUSH_BYTES, Duration.ofSeconds(1), 8 * 1024 * 1024);
    }

    /** Adds output; waits while the backlog is full. */
    public synchronized void append(byte[] bytes, int offset, int length) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("log already closed");
        }
        while (pendingLength >= maxBuffered && failure == null) {
            wait();
        }
        if (pendingLength + length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + length));
        }
        if (pendingLength == 0) {
            firstPendingNanos = System.nanoTime();
        }
        System.arraycopy(bytes, offset, pending, pendingLength, length);
        pendingLength += length;
        notifyAll();
    }

    /** Adds a line of the agent's own (checkout progress, errors), with a newline. */
    public void appendLine(String line) throws InterruptedException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        append(bytes, 0, bytes.length);
    }

    /** Bytes handed to the sink so far. */
    public synchronized long sentBytes() {
        return sentBytes;
    }

    /** Sends everything still pending, then stops the flusher. */
    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        flusher.join();
    }

    private void flushLoop() {
        try {
            while (true) {
                byte[] batch;
                boolean last;
                synchronized (this) {
                    while (!closed && !due()) {
                        if (pendingLength == 0) {
                            wait();
                        } else {
                            long waitNanos = maxDelay.toNanos() - (System.nanoTime() - firstPendingNanos);
                            if (waitNanos > 0) {
                                wait(Math.max(1, waitNanos / 1_000_000));
                            }
                        }
                    }
                    last = closed;
                    int take = last ? pendingLength : completeUtf8Prefix(pending, pendingLength);
                    if (take == 0 && !last) {
                        // Only the start of one multi-byte character is here: wait for the rest.
                        firstPendingNanos = System.nanoTime();
                        continue;
                    }
                    batch = Arrays.copyOf(pending, take);
                    System.arraycopy(pending, take, pending, 0, pendingLength - take);
                    pendingLength -= take;
                    firstPendingNanos = System.nanoTime();
                    notifyAll();
                }
                sendChunks(batch);
                if (last) {
                    return;
                }
            }
        } catch (InterruptedException | RuntimeException e) {
            synchronized (this) {
                failure = e;
                notifyAll();
            }
        }
    }

    private boolean due() {
        return pendingLength >= flushBytes
                || pendingLength > 0 && System.nanoTime() - firstPendingNanos >= maxDelay.toNanos();
    }

    private void sendChunks(byte[] batch) throws InterruptedException {
        int start = 0;
        while (start < batch.length) {
            int end = chunkEnd(batch, start);
            String text = decode(batch, start, end);
            long offset;
            synchronized (this) {
                offset = sentBytes;
            }
            sink.send(text, offset);
            synchronized (this) {
                sentBytes += end - start;
            }
            start = end;
        }
    }

    /**
     * Where the chunk starting at {@code start} ends: at most {@link #MAX_CHUNK_BYTES} raw bytes and
     * {@link #MAX_ESCAPED_BYTES} once escaped, cut before a UTF-8 continuation byte.
     */
    static int chunkEnd(byte[] bytes, int start) {
        int escaped = 0;
        int end = start;
        while (end < bytes.length && end - start < MAX_CHUNK_BYTES) {
            int cost = escapedCost(bytes[end]);
            if (escaped + cost > MAX_ESCAPED_BYTES) {
                break;
            }
            escaped += cost;
            end++;
        }
        if (end < bytes.length) {
            int cut = end;
            while (cut > start && isContinuation(bytes[cut])) {
                cut--;
            }
            // A run of continuation bytes longer than a character is garbage anyway: cut where we are.
            if (cut > start && end - cut < 4) {
                end = cut;
            }
        }
        return end;
    }

    /** The length of the longest prefix that does not end inside a UTF-8 character. */
    static int completeUtf8Prefix(byte[] bytes, int length) {
        int lead = length - 1;
        while (lead >= 0 && length - lead < 4 && isContinuation(bytes[lead])) {
            lead--;
        }
        if (lead < 0) {
            return length;
        }
        int b = bytes[lead] & 0xFF;
        int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        return length - lead >= needed ? length : lead;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    private static int escapedCost(byte b) {
        int c = b & 0xFF;
        if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
            return 2;
        }
        // Other control characters become \\u00XX; an invalid byte becomes U+FFFD (3 bytes).
        return c < 0x20 ? 6 : c >= 0x80 ? 3 : 1;
    }

    private static String decode(byte[] bytes, int start, int end) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
        } catch (java.nio.charset.CharacterCodingException impossible) {
            throw new IllegalStateException(impossible); // REPLACE never throws
        }
    }
}
