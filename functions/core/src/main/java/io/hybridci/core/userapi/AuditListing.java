package io.hybridci.core.userapi;

import io.hybridci.core.audit.AuditRecord;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The outcome of {@link AuditTrail#list}. */
public sealed interface AuditListing {

    /**
     * One page. A page can hold fewer than {@code limit} records and still have a {@code next}: one
     * call examines a bounded number of records, so a rare filter never turns into a long request.
     */
    record Listed(List<AuditRecord> records, Optional<String> next) implements AuditListing {
        public Listed {
            records = List.copyOf(records);
            Objects.requireNonNull(next, "next");
        }
    }

    /** The cursor was not one this API handed out. */
    record BadCursor(String message) implements AuditListing {}
}
