package io.hybridci.local.runtime;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Invocation counts, errors and durations per function, for the benchmarks and the local
 * dashboard. Lock-free on the invocation path.
 */
public final class InvocationStats {

    /** What one function did so far. Durations are wall-clock time inside the handler. */
    public record FunctionStats(long invocations, long errors, long totalNanos, long maxNanos) {
        public double meanMillis() {
            return invocations == 0 ? 0 : totalNanos / 1e6 / invocations;
        }
    }

    private record Counters(LongAdder invocations, LongAdder errors, LongAdder totalNanos, LongAccumulator maxNanos) {
        Counters() {
            this(new LongAdder(), new LongAdder(), new LongAdder(), new LongAccumulator(Math::max, 0));
        }
    }

    private final Map<String, Counters> byFunction = new ConcurrentHashMap<>();

    void record(String functionName, long elapsedNanos, boolean succeeded) {
        Counters counters = byFunction.computeIfAbsent(functionName, ignored -> new Counters());
        counters.invocations().increment();
        if (!succeeded) counters.errors().increment();
        counters.totalNanos().add(elapsedNanos);
        counters.maxNanos().accumulate(elapsedNanos);
    }

    /** The figures of one function (all zero if it never ran). */
    public FunctionStats of(String functionName) {
        Counters c = byFunction.get(functionName);
        return c == null ? new FunctionStats(0, 0, 0, 0)
                : new FunctionStats(c.invocations().sum(), c.errors().sum(), c.totalNanos().sum(), c.maxNanos().get());
    }

    /** A consistent-enough copy of every function's figures, sorted by function name. */
    public Map<String, FunctionStats> snapshot() {
        Map<String, FunctionStats> copy = new TreeMap<>();
        byFunction.keySet().forEach(name -> copy.put(name, of(name)));
        return copy;
    }
}
