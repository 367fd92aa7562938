package io.hybridci.bench;

import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts every AWS SDK call made in this JVM, with its time, by caller, service and operation. It is a
 * <em>global</em> interceptor (listed in {@code software/amazon/awssdk/global/handlers/execution.interceptors}
 * on the bench classpath), so the local cloud is measured exactly as it ships: no hook in its code.
 *
 * <p>The caller is found on the stack, because one SDK client serves several roles in the local cloud and
 * only some of its calls would exist, or be billed, in AWS (see {@link Caller}).
 */
public final class EngineCallCounter implements ExecutionInterceptor {

    /** Who made a call; decides whether it exists in AWS and who pays for it. */
    public enum Caller {
        /** A function's handler: the same call happens in AWS. */
        FUNCTION,
        /** Lambda's SQS event source mapping polling a queue: billed SQS requests in AWS. */
        EVENT_SOURCE_MAPPING,
        /** The bench's protocol agent: SQS requests billed to the account in AWS too. */
        AGENT,
        /** Local emulation only (stream capture's image reads, TTL sweeps, provisioning): no such call in AWS. */
        EMULATION
    }

    /** One row of the counts. {@code operation} is suffixed {@code (empty)} for an SQS receive that got nothing. */
    public record CallKey(Caller caller, String service, String operation) implements Comparable<CallKey> {
        @Override
        public int compareTo(CallKey other) {
            return toString().compareTo(other.toString());
        }
    }

    /** Calls, their total time, and (for PutEvents) the entries they carried. */
    public record CallStats(long calls, long totalNanos, long items) {
        public double meanMillis() {
            return calls == 0 ? 0 : totalNanos / 1e6 / calls;
        }

        CallStats minus(CallStats earlier) {
            return new CallStats(calls - earlier.calls, totalNanos - earlier.totalNanos, items - earlier.items);
        }
    }

    private record Counters(LongAdder calls, LongAdder nanos, LongAdder items) {
        Counters() {
            this(new LongAdder(), new LongAdder(), new LongAdder());
        }
    }

    private static final Map<CallKey, Counters> COUNTS = new ConcurrentHashMap<>();
    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("HybridCiBenchStarted");
    private static final ExecutionAttribute<Caller> CALLER = new ExecutionAttribute<>("HybridCiBenchCaller");
    private static final StackWalker STACK = StackWalker.getInstance();

    /** The SDK creates it by reflection from the classpath file. */
    public EngineCallCounter() {
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
        // Sync clients run the call on the caller's thread, so the stack names the caller.
        attributes.putAttribute(CALLER, callerOnStack());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(context.request(), Optional.of(context.response()), attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        record(context.request(), context.response(), attributes);
    }

    private static void record(software.amazon.awssdk.core.SdkRequest request, Optional<SdkResponse> response, ExecutionAttributes attributes) {
        Long started = attributes.getAttribute(STARTED);
        Caller caller = attributes.getAttribute(CALLER);
        if (started == null || caller == null) return;
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        // FIFO and standard SQS requests have different prices.
        if ("Sqs".equalsIgnoreCase(service) && request.getValueForField("QueueUrl", String.class).orElse("").endsWith(".fifo")) {
            service = "SqsFifo";
        }
        long items = 1;
        if (response.isPresent() && "ReceiveMessage".equals(operation)) {
            items = response.get().getValueForField("Messages", List.class).map(messages -> ((List<?>) messages).size()).orElse(0);
            if (items == 0) operation = "ReceiveMessage(empty)";
        } else if ("PutEvents".equals(operation)) {
            items = request.getValueForField("Entries", List.class).map(entries -> ((List<?>) entries).size()).orElse(1);
        }
        Counters counters = COUNTS.computeIfAbsent(new CallKey(caller, service, operation), ignored -> new Counters());
        counters.calls().increment();
        counters.nanos().add(System.nanoTime() - started);
        counters.items().add(items);
    }

    private static Caller callerOnStack() {
        return STACK.walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                .map(EngineCallCounter::callerOf).filter(c -> c != null).findFirst().orElse(Caller.FUNCTION));
    }

    private static Caller callerOf(String className) {
        if (className.startsWith("io.hybridci.local.engine.dynamodb.StreamCapture")
                || className.startsWith("io.hybridci.local.engine.dynamodb.TtlSweeper")
                || className.startsWith("io.hybridci.local.TopologyProvisioner")) return Caller.EMULATION;
        if (className.startsWith("io.hybridci.local.runtime.SqsEventSourceMapping")) return Caller.EVENT_SOURCE_MAPPING;
        if (className.startsWith("io.hybridci.bench.ProtocolAgent")) return Caller.AGENT;
        if (className.startsWith("io.hybridci.local.runtime.LocalFunction")) return Caller.FUNCTION;
        return null;
    }

    /** A copy of every count so far, sorted. */
    public static Map<CallKey, CallStats> snapshot() {
        Map<CallKey, CallStats> copy = new TreeMap<>();
        COUNTS.forEach((key, c) -> copy.put(key, new CallStats(c.calls().sum(), c.nanos().sum(), c.items().sum())));
        return copy;
    }

    /** What happened between two snapshots (rows with no call dropped). */
    public static Map<CallKey, CallStats> difference(Map<CallKey, CallStats> later, Map<CallKey, CallStats> earlier) {
        Map<CallKey, CallStats> delta = new TreeMap<>();
        later.forEach((key, stats) -> {
            CallStats d = stats.minus(earlier.getOrDefault(key, new CallStats(0, 0, 0)));
            if (d.calls() > 0) delta.put(key, d);
        });
        return delta;
    }
}
