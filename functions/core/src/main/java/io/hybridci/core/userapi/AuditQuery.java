package io.hybridci.core.userapi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Filters of the audit trail ({@code GET /api/v1/audit}); every filter is optional.
 *
 * @param entity one chain, e.g. {@code build:<id>} or {@code agent:<id>}
 * @param actor exactly this actor, e.g. {@code user:admin} or {@code agent:<id>}
 * @param from records at or after this instant
 * @param to records before this instant
 * @param limit 1..{@link AuditTrail#MAX_PAGE_SIZE}
 * @param cursor a {@code next} of an earlier page with the same filters
 */
public record AuditQuery(Optional<String> entity, Optional<String> actor, Optional<Instant> from,
                         Optional<Instant> to, int limit, Optional<String> cursor) {
    public AuditQuery {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(cursor, "cursor");
        if (limit < 1 || limit > AuditTrail.MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("limit must be 1.." + AuditTrail.MAX_PAGE_SIZE + ", was " + limit);
        }
    }
}
