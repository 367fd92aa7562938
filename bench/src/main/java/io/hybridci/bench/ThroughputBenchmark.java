package io.hybridci.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sustained throughput: N agents, one-step {@code true} pipelines pushed as fast as the agents finish them
 * (at most 2 builds in flight per agent, so queues do not grow without bound), for S seconds.
 */
final class ThroughputBenchmark {

    /**
     * The figures of a run. A build counts when its step finished inside the window; {@code passedAfterDrain}
     * says how many builds (warm-up included) were PASSED once the run had drained; {@code pushed} counts the window's pushes.
     */
    record Result(String benchmark, int agents, double seconds, long pushed, long completedInWindow, double buildsPerSecond,
                  double jvmCpuMillisPerBuild, double dynaliteCpuMillisPerBuild, long warmupBuilds, long passedAfterDrain, long notPassedAfterDrain,
                  long acceptRetriesAfter409, Breakdown breakdown) {}

    static Result run(BenchCloud cloud, int agentCount, int seconds) {
        BuildTracker tracker = new BuildTracker();
        List<ProtocolAgent> agents = new ArrayList<>();
        long pushed = 0;
        long retriesBefore = ProtocolAgent.conflictRetries.get();
        try {
            for (int i = 0; i < agentCount; i++) agents.add(cloud.agent("throughput-agent-" + i, tracker));
            int window = 2 * agentCount;
            // Warm up first (JIT, connection pools, the agents' first accept): the window measures a warm cloud.
            long warmup = 2L * window;
            for (int i = 0; i < warmup; i++) {
                if (cloud.push(BenchCloud.newCommit()).statusCode() != 202) throw new IllegalStateException("webhook refused a warm-up push");
            }
            DispatchBenchmark.await(() -> tracker.commandsFinished() >= warmup ? Boolean.TRUE : null, "the warm-up builds");
            pushed = warmup;
            Breakdown.Mark before = Breakdown.Mark.now(cloud);
            CpuMeter cpuBefore = CpuMeter.now();
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                if (pushed - tracker.commandsFinished() < window) {
                    var response = cloud.push(BenchCloud.newCommit());
                    if (response.statusCode() != 202) throw new IllegalStateException("webhook answered " + response.statusCode());
                    pushed++;
                } else {
                    sleep(2);
                }
            }
            long windowEnd = System.nanoTime();
            CpuMeter cpu = CpuMeter.now().minus(cpuBefore);
            Breakdown breakdown = Breakdown.between(cloud, before, Breakdown.Mark.now(cloud));
            long completed = tracker.traces().values().stream()
                    .filter(t -> t.commandFinished != 0 && t.commandFinished <= windowEnd && t.bootstrapDispatchSeen >= start).count();
            // Drain: every pushed build must end; the window's figures are already taken.
            long finalPushed = pushed;
            DispatchBenchmark.await(() -> tracker.commandsFinished() >= finalPushed ? Boolean.TRUE : null, "every pushed build's step");
            long passed = 0;
            for (Map.Entry<String, BuildTracker.Trace> entry : tracker.traces().entrySet()) {
                JsonNode build = DispatchBenchmark.await(() -> {
                    JsonNode b = cloud.admin("/api/v1/builds/" + entry.getKey());
                    return b != null && DispatchBenchmark.isTerminal(b.path("state").asText()) ? b : null;
                }, "build " + entry.getKey() + " to finish");
                if ("PASSED".equals(build.path("state").asText())) passed++;
            }
            double perBuild = Math.max(1, completed);
            return new Result("throughput", agentCount, seconds, pushed - 2L * 2 * agentCount, completed, Math.round(completed / (double) seconds * 100) / 100.0,
                    Stats.round(cpu.jvmNanos() / 1e6 / perBuild), Stats.round(cpu.childrenNanos() / 1e6 / perBuild),
                    2L * 2 * agentCount, passed, tracker.traces().size() - passed,
                    ProtocolAgent.conflictRetries.get() - retriesBefore, breakdown);
        } finally {
            agents.forEach(ProtocolAgent::close);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private ThroughputBenchmark() {
    }
}
