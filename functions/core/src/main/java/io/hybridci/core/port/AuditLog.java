package io.hybridci.core.port;

import io.hybridci.core.audit.AuditRecord;
import java.util.List;
import java.util.Optional;

/** The audit table: per-chain, append-only, contiguous sequence numbers. */
public interface AuditLog {

    /** An audit record as stored, with the id of the stream record it was written for. */
    record StoredRecord(AuditRecord record, String sourceEventId) {}

    /** The newest {@code n} records of a chain, newest first. */
    List<StoredRecord> newest(String chain, int n);

    /**
     * Inserts the record unless its (chain, seq) exists; false when another writer got there
     * first. {@code sourceEventId} lets a re-delivered stream record be recognised and skipped.
     */
    boolean append(AuditRecord record, String sourceEventId);

    /** Every chain name, for verification. */
    Page<String> chains(int limit, Optional<String> cursor);

    /** A chain's records oldest first, a page at a time. */
    Page<AuditRecord> read(String chain, int limit, Optional<String> cursor);
}
