package io.hybridci.bench;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CI smoke run of every benchmark with tiny counts, against a real local cloud in this JVM. It checks
 * that each runs and writes complete, consistent JSON; never a timing (the CI machine is shared).
 */
// By name, so cold start (shouldTime…) runs last: its probes create builds whose dispatches the in-process cloud may
// still be sending when it closes, and a late sender of one cloud must not meet the next cloud's queues in this JVM.
@TestMethodOrder(MethodOrderer.MethodName.class)
class BenchSmokeIT {

    @TempDir
    Path temp;

    private Map<String, Object> run(String benchmark, int builds, int agents, int seconds) throws Exception {
        Path json = temp.resolve(benchmark + ".json");
        Map<String, Object> report = BenchMain.run(new BenchMain.Options(benchmark, builds, agents, seconds, json));
        assertTrue(Files.size(json) > 0, "no JSON written");
        Map<String, Object> machine = map(report, "machine");
        for (String field : List.of("date", "processors", "loadAverage1m", "javaVersion", "os", "notes")) {
            assertTrue(machine.containsKey(field), "machine lacks " + field + ": " + machine);
        }
        return map(report, "result");
    }

    @Test
    void shouldMeasureEveryMilestoneOfEveryBuild_whenDispatchRunsTwoBuilds() throws Exception {
        Map<String, Object> result = run("dispatch", 2, 1, 1);

        assertEquals(2, ((Number) result.get("passed")).intValue(), result.toString());
        Map<String, Object> latencies = map(result, "latenciesMillis");
        assertEquals(DispatchBenchmark.MILESTONES.keySet(), latencies.keySet());
        for (Object stats : latencies.values()) {
            @SuppressWarnings("unchecked") Map<String, Object> s = (Map<String, Object>) stats;
            assertEquals(2, ((Number) s.get("samples")).intValue(), latencies.toString());
            for (String field : List.of("p50", "p95", "p99", "max", "mean")) assertTrue(s.get(field) instanceof Number, field + " in " + s);
        }
        assertBreakdown(result, "webhook-intake", 2);
    }

    @Test
    void shouldCountPushedAndCompletedBuilds_whenThroughputRunsForThreeSeconds() throws Exception {
        Map<String, Object> result = run("throughput", 1, 2, 3);

        long pushed = ((Number) result.get("pushed")).longValue();
        long completed = ((Number) result.get("completedInWindow")).longValue();
        assertTrue(pushed >= 1 && completed <= pushed, result.toString());
        long warmup = ((Number) result.get("warmupBuilds")).longValue();
        assertEquals(pushed + warmup, ((Number) result.get("passedAfterDrain")).longValue() + ((Number) result.get("notPassedAfterDrain")).longValue(),
                "every build, warm-up included, is accounted for after the drain: " + result);
        assertEquals(0, ((Number) result.get("notPassedAfterDrain")).longValue(), result.toString());
        assertTrue(result.get("jvmCpuMillisPerBuild") instanceof Number);
        assertTrue(result.get("buildsPerSecond") instanceof Number);
        assertBreakdown(result, "webhook-intake", pushed);
    }

    @Test
    void shouldPriceEveryServiceAndTheIdleMonth_whenCostRunsTwoBuilds() throws Exception {
        Map<String, Object> result = run("cost", 2, 1, 1);

        assertEquals(4, ((Number) result.get("jobs")).intValue(), "two builds are two bootstrap and two step jobs");
        Map<String, Object> perBuild = map(result, "perBuild");
        for (String item : List.of("lambdaRequests", "lambdaGbSeconds", "apiGatewayHttpRequests", "dynamoDbReadUnits",
                "dynamoDbWriteUnits", "sqsStandardRequests", "sqsFifoRequests", "eventBridgeEvents", "secretsManagerCalls")) {
            assertTrue(perBuild.get(item) instanceof Number, item + " in " + perBuild);
        }
        assertTrue(((Number) perBuild.get("dynamoDbWriteUnits")).doubleValue() > 0, perBuild.toString());
        assertTrue(((Number) perBuild.get("lambdaRequests")).doubleValue() > 0, perBuild.toString());
        assertEquals(List.of("lambda", "apiGateway", "dynamoDb", "sqs", "eventBridge", "secretsManager"),
                List.copyOf(map(result, "dollarsPer1000Jobs").keySet()));
        assertTrue(((Number) result.get("totalDollarsPer1000Jobs")).doubleValue() > 0);
        assertTrue(map(result, "idleMonthDollars").containsKey("perIdleAgent"));
        assertFalse(((String) result.get("pricesTakenOn")).isBlank());
        assertBreakdown(result, "webhook-intake", 2);
    }

    @Test
    void shouldTimeEveryFunctionsFirstEventAndFloor_whenColdStartRunsOnce() throws Exception {
        Map<String, Object> result = run("coldstart", 1, 1, 1);

        @SuppressWarnings("unchecked") List<Map<String, Object>> functions = (List<Map<String, Object>>) result.get("functions");
        assertFalse(functions.isEmpty(), "no shaded function jar found under functions/*/target");
        for (Map<String, Object> function : functions) {
            assertTrue(((Number) function.get("jarBytes")).longValue() > 0, function.toString());
            assertEquals(1, ((Number) map(function, "floorJvmMillis").get("samples")).intValue(), function.toString());
            assertEquals(1, ((Number) map(function, "firstEventMillis").get("samples")).intValue(), function.toString());
            assertTrue(((String) function.get("lastOutcome")).startsWith("HANDLED "), function.toString());
            assertTrue(((Number) function.get("firstEventOverFloorP50")).doubleValue() > 0, function.toString());
            // The AOT-cache runs: a cache was written by the training run and the same probes ran again from it.
            Map<String, Object> aot = map(function, "withAotCache");
            assertTrue(((Number) aot.get("cacheMegabytes")).doubleValue() > 0, "no AOT cache written: " + function);
            assertEquals(1, ((Number) map(aot, "firstEventMillis").get("samples")).intValue(), function.toString());
            assertEquals(1, ((Number) map(aot, "floorJvmMillis").get("samples")).intValue(), function.toString());
        }
        assertTrue(functions.stream().anyMatch(f -> f.get("function").equals("webhook-intake")
                && ((String) f.get("lastOutcome")).startsWith("HANDLED ok")), "webhook-intake handled its signed push: " + functions);
    }

    /** Per function and per engine call rows exist, and the webhook function ran once per push. */
    private static void assertBreakdown(Map<String, Object> result, String webhookFunction, long pushes) {
        Map<String, Object> breakdown = map(result, "breakdown");
        @SuppressWarnings("unchecked") List<Map<String, Object>> functions = (List<Map<String, Object>>) breakdown.get("functions");
        @SuppressWarnings("unchecked") List<Map<String, Object>> calls = (List<Map<String, Object>>) breakdown.get("engineCalls");
        assertNotNull(functions);
        assertFalse(calls.isEmpty(), "no engine call counted: is the global interceptor on the classpath?");
        long webhooks = functions.stream().filter(f -> f.get("function").equals(webhookFunction))
                .mapToLong(f -> ((Number) f.get("invocations")).longValue()).sum();
        assertEquals(pushes, webhooks, functions.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertNotNull(value, key + " missing in " + parent.keySet());
        return (Map<String, Object>) value;
    }
}
