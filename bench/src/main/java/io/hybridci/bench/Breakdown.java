package io.hybridci.bench;

import io.hybridci.local.runtime.InvocationStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the time went between two moments: per function (the local cloud's {@link InvocationStats}) and
 * per engine call ({@link EngineCallCounter}), as rows ready for JSON and the table.
 */
record Breakdown(List<FunctionRow> functions, List<EngineCallRow> engineCalls) {

    /** One function's invocations between the two moments; {@code memoryMb} from the topology. */
    record FunctionRow(String function, long invocations, long errors, double totalMillis, double meanMillis, int memoryMb) {}

    /** One caller/service/operation's calls; {@code items} counts messages received or events put. */
    record EngineCallRow(String caller, String service, String operation, long calls, long items, double totalMillis, double meanMillis) {}

    /** A point to measure from. */
    record Mark(Map<String, InvocationStats.FunctionStats> functions, Map<EngineCallCounter.CallKey, EngineCallCounter.CallStats> calls) {
        static Mark now(BenchCloud cloud) {
            return new Mark(cloud.cloud.stats().snapshot(), EngineCallCounter.snapshot());
        }
    }

    static Breakdown between(BenchCloud cloud, Mark before, Mark after) {
        List<FunctionRow> functions = new ArrayList<>();
        after.functions().forEach((name, stats) -> {
            InvocationStats.FunctionStats earlier = before.functions().getOrDefault(name, new InvocationStats.FunctionStats(0, 0, 0, 0));
            long invocations = stats.invocations() - earlier.invocations();
            if (invocations == 0) return;
            double total = (stats.totalNanos() - earlier.totalNanos()) / 1e6;
            int memory = cloud.cloud.topology().findFunction(name).map(f -> f.memoryMb()).orElse(0);
            functions.add(new FunctionRow(name, invocations, stats.errors() - earlier.errors(), Stats.round(total),
                    Stats.round(total / invocations), memory));
        });
        List<EngineCallRow> calls = new ArrayList<>();
        EngineCallCounter.difference(after.calls(), before.calls()).forEach((key, stats) -> calls.add(new EngineCallRow(
                key.caller().name(), key.service(), key.operation(), stats.calls(), stats.items(),
                Stats.round(stats.totalNanos() / 1e6), Stats.round(stats.meanMillis()))));
        return new Breakdown(functions, calls);
    }

    long invocations() {
        return functions.stream().mapToLong(FunctionRow::invocations).sum();
    }
}
