package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.WriteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The conditional-write semantics every in-memory repository shares: create only if absent,
 * update only if the stored version is the expected one. Each check-and-set is atomic
 * ({@link ConcurrentHashMap#compute}), as a DynamoDB condition expression is.
 */
final class VersionedMap<T> {
    private final ConcurrentHashMap<String, T> items = new ConcurrentHashMap<>();
    private final Function<T, String> idOf;
    private final ToLongFunction<T> versionOf;

    VersionedMap(Function<T, String> idOf, ToLongFunction<T> versionOf) {
        this.idOf = idOf;
        this.versionOf = versionOf;
    }

    Optional<T> find(String id) {
        return Optional.ofNullable(items.get(id));
    }

    WriteResult<T> create(T item) {
        T existing = items.putIfAbsent(idOf.apply(item), item);
        return existing == null ? new WriteResult.Written<>(item) : new WriteResult.Conflict<>(Optional.of(existing));
    }

    WriteResult<T> update(T next, long expectedVersion) {
        var lost = new Object() { T current; boolean conflict; };
        items.compute(idOf.apply(next), (id, stored) -> {
            if (stored == null || versionOf.applyAsLong(stored) != expectedVersion) {
                lost.conflict = true;
                lost.current = stored;
                return stored;
            }
            return next;
        });
        return lost.conflict ? new WriteResult.Conflict<>(Optional.ofNullable(lost.current)) : new WriteResult.Written<>(next);
    }

    List<T> values() {
        return new ArrayList<>(items.values());
    }
}
