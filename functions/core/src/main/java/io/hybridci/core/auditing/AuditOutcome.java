package io.hybridci.core.auditing;

import io.hybridci.core.audit.AuditRecord;
import java.util.Objects;

/** What {@link AuditWriter#write} did with one state change. */
public sealed interface AuditOutcome {

    /** A new record was appended to its chain. */
    record Appended(AuditRecord record) implements AuditOutcome {
        public Appended {
            Objects.requireNonNull(record, "record");
        }
    }

    /** The change is a re-delivery: the chain already holds its record at {@code seq}. */
    record AlreadyRecorded(String chain, long seq) implements AuditOutcome {
        public AlreadyRecorded {
            Objects.requireNonNull(chain, "chain");
        }
    }
}
