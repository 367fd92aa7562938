package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.Page;
import java.util.List;
import java.util.Optional;

/** Pages a sorted list with a cursor that is simply the index of the next item. */
final class Paging {
    private Paging() {}

    static <T> Page<T> page(List<T> sorted, int limit, Optional<String> cursor) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        int from = cursor.map(Paging::parse).orElse(0);
        int to = Math.min(sorted.size(), from + limit);
        List<T> items = from >= sorted.size() ? List.of() : sorted.subList(from, to);
        return new Page<>(items, to < sorted.size() ? Optional.of(Integer.toString(to)) : Optional.empty());
    }

    private static int parse(String cursor) {
        try {
            int index = Integer.parseInt(cursor);
            if (index < 0) {
                throw new NumberFormatException();
            }
            return index;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid cursor: " + cursor);
        }
    }
}
