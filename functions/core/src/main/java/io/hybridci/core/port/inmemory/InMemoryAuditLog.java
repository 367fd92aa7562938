package io.hybridci.core.port.inmemory;

import io.hybridci.core.audit.AuditRecord;
import io.hybridci.core.port.AuditLog;
import io.hybridci.core.port.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** {@link AuditLog} in memory, for unit tests; {@link #replace} lets tests tamper with a chain. */
public final class InMemoryAuditLog implements AuditLog {
    private final ConcurrentSkipListMap<String, ConcurrentSkipListMap<Long, StoredRecord>> chains = new ConcurrentSkipListMap<>();

    @Override
    public List<StoredRecord> newest(String chain, int n) {
        var records = chains.get(chain);
        return records == null ? List.of() : records.descendingMap().values().stream().limit(n).toList();
    }

    @Override
    public boolean append(AuditRecord record, String sourceEventId) {
        return chains.computeIfAbsent(record.chain(), c -> new ConcurrentSkipListMap<>())
                .putIfAbsent(record.seq(), new StoredRecord(record, sourceEventId)) == null;
    }

    @Override
    public Page<String> chains(int limit, Optional<String> cursor) {
        return Paging.page(new ArrayList<>(chains.keySet()), limit, cursor);
    }

    @Override
    public Page<AuditRecord> read(String chain, int limit, Optional<String> cursor) {
        var records = chains.getOrDefault(chain, new ConcurrentSkipListMap<>());
        return Paging.page(records.values().stream().map(StoredRecord::record).toList(), limit, cursor);
    }

    /** Overwrites a stored record, as an attacker with write access could: for tamper-detection tests. */
    public void replace(AuditRecord tampered) {
        chains.computeIfAbsent(tampered.chain(), c -> new ConcurrentSkipListMap<>())
                .compute(tampered.seq(), (seq, old) -> new StoredRecord(tampered, old == null ? null : old.sourceEventId()));
    }
}
