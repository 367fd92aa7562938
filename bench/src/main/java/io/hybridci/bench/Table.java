package io.hybridci.bench;

import java.util.List;
import java.util.Map;

/** The report as a plain-text table for the terminal; the JSON file holds everything. */
final class Table {

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> report) {
        StringBuilder out = new StringBuilder();
        Map<String, Object> machine = (Map<String, Object>) report.get("machine");
        out.append(String.format("machine: %s cpus, load %.2f, %s, %s%n", machine.get("processors"), ((Number) machine.get("loadAverage1m")).doubleValue(),
                machine.get("javaVersion"), machine.get("date")));
        Map<String, Object> result = (Map<String, Object>) report.get("result");
        result.forEach((key, value) -> {
            if (key.equals("breakdown") || key.equals("milestones")) return;
            if (value instanceof Map<?, ?> map && !map.isEmpty() && map.values().iterator().next() instanceof Map) {
                out.append(key).append(":\n");
                map.forEach((k, v) -> out.append(String.format("  %-24s %s%n", k, v)));
            } else if (value instanceof Map<?, ?> map) {
                out.append(key).append(":\n");
                map.forEach((k, v) -> out.append(String.format("  %-24s %s%n", k, v)));
            } else if (value instanceof List<?> list) {
                out.append(key).append(":\n");
                list.forEach(row -> out.append("  ").append(row).append('\n'));
            } else {
                out.append(String.format("%-26s %s%n", key, value));
            }
        });
        Object breakdown = result.get("breakdown");
        if (breakdown instanceof Map<?, ?> b) {
            out.append("per function (invocations, mean ms, total ms):\n");
            for (Object row : (List<?>) b.get("functions")) {
                Map<String, Object> r = (Map<String, Object>) row;
                out.append(String.format("  %-16s %8s %8s %10s%n", r.get("function"), r.get("invocations"), r.get("meanMillis"), r.get("totalMillis")));
            }
            out.append("per engine call (caller service operation: calls, mean ms):\n");
            for (Object row : (List<?>) b.get("engineCalls")) {
                Map<String, Object> r = (Map<String, Object>) row;
                out.append(String.format("  %-20s %-14s %-24s %8s %8s%n", r.get("caller"), r.get("service"), r.get("operation"), r.get("calls"), r.get("meanMillis")));
            }
        }
        return out.toString();
    }

    private Table() {
    }
}
