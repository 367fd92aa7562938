package io.hybridci.core.port;

import java.time.Instant;
import java.util.List;

/** Job log chunks, in the order the agent sent them. */
public interface LogStore {

    /** @param seq the agent message seq: unique per job; re-appending the same seq is a no-op */
    record LogChunk(String jobId, long seq, long offset, String chunk, Instant at) {}

    /** Stores the chunk unless one with its seq exists; true when stored now. */
    boolean append(LogChunk chunk, Instant expiresAt);

    /** Chunks with seq greater than {@code afterSeq}, oldest first, at most {@code limit}. */
    List<LogChunk> read(String jobId, long afterSeq, int limit);
}
