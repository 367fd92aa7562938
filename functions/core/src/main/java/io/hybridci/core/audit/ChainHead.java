package io.hybridci.core.audit;

import java.util.Objects;

/**
 * The last link of a chain as remembered outside the audit table (for instance on the entity's
 * own item, or in a periodic digest). A hash chain alone cannot show that its newest records
 * were cut off or its last record re-hashed; comparing with a head kept elsewhere can.
 *
 * @param seq the seq of the last record
 * @param hash that record's hash
 */
public record ChainHead(long seq, String hash) {

    public ChainHead {
        Objects.requireNonNull(hash, "hash");
    }

    /** The head of a chain whose last record is {@code record}. */
    public static ChainHead of(AuditRecord record) {
        return new ChainHead(record.seq(), record.hash());
    }
}
