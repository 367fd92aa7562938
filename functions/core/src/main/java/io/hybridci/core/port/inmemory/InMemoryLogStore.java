package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.LogStore;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** {@link LogStore} in memory, for unit tests of the use cases. */
public final class InMemoryLogStore implements LogStore {
    private final ConcurrentHashMap<String, ConcurrentSkipListMap<Long, LogChunk>> chunks = new ConcurrentHashMap<>();

    @Override
    public boolean append(LogChunk chunk, Instant expiresAt) {
        return chunks.computeIfAbsent(chunk.jobId(), id -> new ConcurrentSkipListMap<>())
                .putIfAbsent(chunk.seq(), chunk) == null;
    }

    @Override
    public List<LogChunk> read(String jobId, long afterSeq, int limit) {
        var ofJob = chunks.get(jobId);
        if (ofJob == null) {
            return List.of();
        }
        return ofJob.tailMap(afterSeq, false).values().stream().limit(limit).toList();
    }
}
