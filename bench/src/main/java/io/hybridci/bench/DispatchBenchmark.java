package io.hybridci.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dispatch latency: builds one at a time on an idle agent, each a one-step {@code true} pipeline, every
 * moment measured from just before the signed webhook is sent.
 */
final class DispatchBenchmark {

    /** The figures of a run. {@code latenciesMillis} maps each milestone (see {@link #MILESTONES}) to its percentiles. */
    record Result(String benchmark, int builds, int warmupBuilds, int agents, String agent, Map<String, String> milestones,
                  Map<String, Stats> latenciesMillis, int passed, long acceptRetriesAfter409, Breakdown breakdown) {}

    static final Map<String, String> MILESTONES = milestones();

    private static Map<String, String> milestones() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("webhookAccepted", "webhook-intake answered 202 to the signed push");
        m.put("bootstrapQueued", "the bootstrap job's queuedAt, as the control plane recorded it");
        m.put("bootstrapDispatchSeen", "the idle agent received the bootstrap job's dispatch from SQS");
        m.put("bootstrapRunning", "the agent's accept answered 200 (ASSIGNED) and it sent 'started' (RUNNING)");
        m.put("stepRunning", "the command step's job accepted and its 'started' sent: the yardstick's 'step started'");
        m.put("buildPassed", "the bench saw the build PASSED through GET /api/v1/builds/{id} (polled every 5 ms)");
        return Map.copyOf(m);
    }

    private static final Duration PER_BUILD_DEADLINE = Duration.ofSeconds(60);

    static Result run(BenchCloud cloud, int builds) {
        BuildTracker tracker = new BuildTracker();
        int warmup = Math.min(20, Math.max(1, builds / 10));
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        for (String key : List.of("webhookAccepted", "bootstrapQueued", "bootstrapDispatchSeen", "bootstrapRunning", "stepRunning", "buildPassed")) {
            samples.put(key, new ArrayList<>());
        }
        int passed = 0;
        long retriesBefore = ProtocolAgent.conflictRetries.get();
        Breakdown.Mark before = null;
        try (ProtocolAgent ignored = cloud.agent("dispatch-agent", tracker)) {
            for (int i = 0; i < warmup + builds; i++) {
                if (i == warmup) before = Breakdown.Mark.now(cloud);
                String previous = tracker.latestBuild();
                Instant wallStart = Instant.now();
                long start = System.nanoTime();
                var response = cloud.push(BenchCloud.newCommit());
                long accepted = System.nanoTime();
                if (response.statusCode() != 202) throw new IllegalStateException("webhook answered " + response.statusCode() + ": " + response.body());
                String buildId = await(() -> {
                    String latest = tracker.latestBuild();
                    return latest != null && !latest.equals(previous) ? latest : null;
                }, "the bootstrap dispatch of build " + (i + 1));
                BuildTracker.Trace trace = tracker.trace(buildId);
                // A build whose bootstrap failed has no step: look at the build after a while instead of waiting forever.
                await(() -> {
                    if (trace.commandFinished != 0) return Boolean.TRUE;
                    if (trace.bootstrapFinished == 0 || System.nanoTime() - trace.bootstrapFinished < 2_000_000_000L) return null;
                    JsonNode b = cloud.admin("/api/v1/builds/" + buildId);
                    return b != null && isTerminal(b.path("state").asText()) ? Boolean.FALSE : null;
                }, () -> "the step of build " + buildId + " (agent saw bootstrap dispatch/start/finish "
                        + (trace.bootstrapDispatchSeen != 0) + "/" + (trace.bootstrapStarted != 0) + "/" + (trace.bootstrapFinished != 0)
                        + "; the build: " + cloud.admin("/api/v1/builds/" + buildId) + ")");
                JsonNode build = await(() -> {
                    JsonNode b = cloud.admin("/api/v1/builds/" + buildId);
                    return b != null && isTerminal(b.path("state").asText()) ? b : null;
                }, "build " + buildId + " to finish");
                long finished = System.nanoTime();
                if (i < warmup) continue;
                if (!"PASSED".equals(build.path("state").asText()) || trace.commandStarted == 0) {
                    System.err.println("bench: build " + buildId + " ended " + build.path("state").asText() + ": " + build);
                    continue;
                }
                passed++;
                samples.get("webhookAccepted").add(millis(start, accepted));
                samples.get("bootstrapQueued").add(queuedMillis(build, wallStart));
                samples.get("bootstrapDispatchSeen").add(millis(start, trace.bootstrapDispatchSeen));
                samples.get("bootstrapRunning").add(millis(start, trace.bootstrapStarted));
                samples.get("stepRunning").add(millis(start, trace.commandStarted));
                samples.get("buildPassed").add(millis(start, finished));
            }
        }
        Breakdown breakdown = Breakdown.between(cloud, before, Breakdown.Mark.now(cloud));
        Map<String, Stats> latencies = new LinkedHashMap<>();
        samples.forEach((key, values) -> latencies.put(key, Stats.of(values)));
        return new Result("dispatch", builds, warmup, 1, "in-process protocol agent (ProtocolAgent)", MILESTONES, latencies, passed,
                ProtocolAgent.conflictRetries.get() - retriesBefore, breakdown);
    }

    private static double queuedMillis(JsonNode build, Instant wallStart) {
        for (JsonNode job : build.path("jobs")) {
            if ("BOOTSTRAP".equals(job.path("kind").asText()) && !job.path("queuedAt").isNull()) {
                return Duration.between(wallStart, Instant.parse(job.path("queuedAt").asText())).toNanos() / 1e6;
            }
        }
        return -1;
    }

    static boolean isTerminal(String state) {
        return switch (state) {
            case "PASSED", "FAILED", "CANCELED", "CANCELLED", "TIMED_OUT", "ERRORED" -> true;
            default -> false;
        };
    }

    static double millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e6;
    }

    /** Polls every 5 ms until {@code probe} returns non-null, or fails after a minute. */
    static <T> T await(java.util.function.Supplier<T> probe, String what) {
        return await(probe, () -> what);
    }

    /** As {@link #await(java.util.function.Supplier, String)}, with a description computed only on failure. */
    static <T> T await(java.util.function.Supplier<T> probe, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + PER_BUILD_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) return value;
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("timed out after " + PER_BUILD_DEADLINE + " waiting for " + what.get());
    }

    private DispatchBenchmark() {
    }
}
