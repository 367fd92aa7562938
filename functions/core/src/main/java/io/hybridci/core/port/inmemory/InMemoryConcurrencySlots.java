package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.ConcurrencyGroup;
import io.hybridci.core.port.ConcurrencySlots;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** {@link ConcurrencySlots} in memory, for unit tests of the use cases. */
public final class InMemoryConcurrencySlots implements ConcurrencySlots {
    private final ConcurrentHashMap<String, ConcurrencyGroup> groups = new ConcurrentHashMap<>();

    @Override
    public ConcurrencyGroup acquire(String group, int limit, String jobId, Instant at) {
        return change(group, stored -> stored.acquire(jobId, limit));
    }

    @Override
    public ConcurrencyGroup release(String group, String jobId, Instant at) {
        return change(group, stored -> stored.release(jobId));
    }

    @Override
    public ConcurrencyGroup find(String group) {
        return groups.getOrDefault(group, ConcurrencyGroup.empty(group));
    }

    private ConcurrencyGroup change(String group, UnaryOperator<ConcurrencyGroup> decision) {
        // compute() is atomic per key: the in-memory form of the adapters' conditional write on the version.
        return groups.compute(group, (name, stored) -> decision.apply(stored == null ? ConcurrencyGroup.empty(name) : stored));
    }
}
