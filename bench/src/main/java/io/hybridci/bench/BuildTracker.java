package io.hybridci.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the bench agents saw, per build, as {@link System#nanoTime()} stamps: the bootstrap and command
 * jobs' dispatch, start and finish. Thread-safe; agents call it from their poll threads.
 */
final class BuildTracker implements ProtocolAgent.Observer {

    /** The moments of one build the agents saw; 0 = not yet. */
    static final class Trace {
        volatile long bootstrapDispatchSeen;
        volatile long bootstrapStarted;
        volatile long bootstrapFinished;
        volatile long commandDispatchSeen;
        volatile long commandStarted;
        volatile long commandFinished;
    }

    private final Map<String, Trace> traces = new ConcurrentHashMap<>();
    private final AtomicLong commandsFinished = new AtomicLong();
    private final AtomicLong jobsFinished = new AtomicLong();
    private volatile String latestBuild;

    Trace trace(String buildId) {
        return traces.computeIfAbsent(buildId, ignored -> new Trace());
    }

    @Override
    public void dispatchSeen(String buildId, String jobId, long nanos) {
        Trace trace = trace(buildId);
        // The dispatch message does not say the kind: the first one of a build is its bootstrap job.
        if (trace.bootstrapDispatchSeen == 0) {
            trace.bootstrapDispatchSeen = nanos;
            latestBuild = buildId;
        } else if (trace.commandDispatchSeen == 0) {
            trace.commandDispatchSeen = nanos;
        }
    }

    @Override
    public void started(String buildId, String jobId, String kind, long nanos) {
        Trace trace = trace(buildId);
        if ("BOOTSTRAP".equals(kind)) trace.bootstrapStarted = nanos;
        else if (trace.commandStarted == 0) trace.commandStarted = nanos;
    }

    @Override
    public void finished(String buildId, String jobId, String kind, long nanos) {
        Trace trace = trace(buildId);
        jobsFinished.incrementAndGet();
        if ("BOOTSTRAP".equals(kind)) {
            trace.bootstrapFinished = nanos;
        } else if (trace.commandFinished == 0) {
            trace.commandFinished = nanos;
            commandsFinished.incrementAndGet();
        }
    }

    long commandsFinished() {
        return commandsFinished.get();
    }

    long jobsFinished() {
        return jobsFinished.get();
    }

    String latestBuild() {
        return latestBuild;
    }

    Map<String, Trace> traces() {
        return traces;
    }
}
