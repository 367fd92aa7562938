package io.hybridci.local;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * How to start a {@link LocalCloud}.
 *
 * @param dataDir          where every engine keeps its state ({@code .hybridci/} by default); created if missing
 * @param port             the HTTP gateway's port on 127.0.0.1; 0 picks a free one (tests)
 * @param clock            the time every function and the schedules see; tests pass a clock they can move
 * @param agentQueues      agent queue names; each gets a {@code jobs-<queue>} SQS queue
 * @param nodeModulesDir   the {@code node_modules} that {@code npm ci} filled in {@code local/} (dynalite)
 * @param runSchedules     whether schedules fire by themselves; tests turn it off and call
 *                         {@link LocalCloud#triggerNow(String)} so a moved clock fires nothing behind their back
 * @param dashboardDir     static files served under {@code /}, or null when there is no dashboard yet
 */
public record LocalCloudOptions(Path dataDir, int port, Clock clock, List<String> agentQueues, Path nodeModulesDir,
                                boolean runSchedules, Path dashboardDir) {

    public LocalCloudOptions {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(nodeModulesDir, "nodeModulesDir");
        agentQueues = List.copyOf(agentQueues);
        if (agentQueues.isEmpty()) throw new IllegalArgumentException("at least one agent queue is needed");
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("port must be 0..65535: " + port);
    }

    /** The options of {@code ./hybridci up}: real clock, queue {@code default}, schedules running, no dashboard. */
    public static LocalCloudOptions of(Path dataDir, int port, Path nodeModulesDir) {
        return new LocalCloudOptions(dataDir, port, Clock.systemUTC(), List.of("default"), nodeModulesDir, true, null);
    }

    /** A copy with another clock. */
    public LocalCloudOptions withClock(Clock newClock) {
        return new LocalCloudOptions(dataDir, port, newClock, agentQueues, nodeModulesDir, runSchedules, dashboardDir);
    }

    /** A copy whose schedules fire only through {@link LocalCloud#triggerNow(String)}. */
    public LocalCloudOptions withoutBackgroundSchedules() {
        return new LocalCloudOptions(dataDir, port, clock, agentQueues, nodeModulesDir, false, dashboardDir);
    }

    /** A copy with another gateway port. */
    public LocalCloudOptions withPort(int newPort) {
        return new LocalCloudOptions(dataDir, newPort, clock, agentQueues, nodeModulesDir, runSchedules, dashboardDir);
    }
}
