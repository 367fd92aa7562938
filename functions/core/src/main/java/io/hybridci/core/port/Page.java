package io.hybridci.core.port;

import java.util.List;
import java.util.Optional;

/**
 * One page of a list, with an opaque cursor for the next one (empty on the last page).
 * Cursors are opaque strings so an adapter can encode its own position (a DynamoDB
 * LastEvaluatedKey, an index) without leaking it into the domain.
 */
public record Page<T>(List<T> items, Optional<String> next) {
    public Page {
        items = List.copyOf(items);
    }

    public static <T> Page<T> last(List<T> items) {
        return new Page<>(items, Optional.empty());
    }
}
