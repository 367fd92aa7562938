package io.hybridci.bench;

import java.time.Duration;

/**
 * CPU time of this JVM (the whole control plane and the bench agents) and of its child processes
 * (dynalite, the local DynamoDB, runs in node).
 */
record CpuMeter(long jvmNanos, long childrenNanos) {

    static CpuMeter now() {
        long jvm = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        long children = ProcessHandle.current().descendants()
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
        return new CpuMeter(jvm, children);
    }

    CpuMeter minus(CpuMeter earlier) {
        return new CpuMeter(jvmNanos - earlier.jvmNanos, childrenNanos - earlier.childrenNanos);
    }
}
