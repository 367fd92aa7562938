package io.hybridci.bench;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chaos run's at-least-once fault: SQS delivers a message twice. Registered globally on the bench classpath
 * (beside {@link EngineCallCounter}), it does <b>nothing</b> until {@link #enable} is called, which only
 * {@code ./hybridci chaos} (and its smoke test) does; benchmarks and every normal run see SQS unchanged.
 *
 * <p>Two places, because the local cloud has two kinds of SQS consumer:
 * <ul>
 *   <li>the event-source mappings (Lambda's poller; threads named {@code sqs-esm-…}): on a fraction of their
 *       receives every message received is delivered again at the head of the next receive of that queue,
 *       same message id and receipt handle, as SQS does when a delete is lost. Putting the copies first
 *       keeps a FIFO group's order, as a real redelivery would (the group stays locked until it is deleted);</li>
 *   <li>the agents, which are other processes: a fraction of the dispatches the functions send to a
 *       {@code jobs-*} queue are recorded here and sent a second time by the chaos driver
 *       ({@link #dispatchesToRepeat()}).</li>
 * </ul>
 */
public final class DuplicateDeliveries implements ExecutionInterceptor {

    /** A dispatch to send once more: where, and what. */
    public record Dispatch(String queueUrl, String body) {}

    private static volatile Random random;
    private static volatile double fraction;
    private static final Map<String, List<Message>> REDELIVER = new ConcurrentHashMap<>();
    private static final ConcurrentLinkedQueue<Dispatch> DISPATCHES = new ConcurrentLinkedQueue<>();
    private static final AtomicLong DOUBLED_RECEIVES = new AtomicLong();
    private static final AtomicLong REDELIVERED_MESSAGES = new AtomicLong();
    private static final AtomicLong DISPATCHES_RECORDED = new AtomicLong();

    /** Turns the fault on for this JVM: {@code fraction} of receives (and of dispatches) are doubled. */
    public static synchronized void enable(double fractionOfReceives, long seed) {
        if (fractionOfReceives < 0 || fractionOfReceives > 1) throw new IllegalArgumentException("fraction must be 0..1");
        random = new Random(seed);
        fraction = fractionOfReceives;
    }

    /** Off again, with nothing left pending. */
    public static synchronized void disable() {
        fraction = 0;
        random = null;
        REDELIVER.clear();
        DISPATCHES.clear();
    }

    /** Receives of the event-source mappings whose messages were all delivered a second time. */
    public static long doubledReceives() {
        return DOUBLED_RECEIVES.get();
    }

    /** Messages handed to a function a second time. */
    public static long redeliveredMessages() {
        return REDELIVERED_MESSAGES.get();
    }

    /** Dispatches recorded to be sent twice. */
    public static long dispatchesRecorded() {
        return DISPATCHES_RECORDED.get();
    }

    /** The dispatches recorded since the last call, removed from the list. */
    public static List<Dispatch> dispatchesToRepeat() {
        List<Dispatch> drained = new ArrayList<>();
        for (Dispatch d; (d = DISPATCHES.poll()) != null; ) drained.add(d);
        return drained;
    }

    private static synchronized boolean draw() {
        return random != null && random.nextDouble() < fraction;
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        if (fraction == 0 || !(context.response() instanceof ReceiveMessageResponse received)
                || !(context.request() instanceof ReceiveMessageRequest request)
                || !Thread.currentThread().getName().startsWith("sqs-esm-")) {
            return context.response();
        }
        List<Message> pending = REDELIVER.remove(request.queueUrl());
        List<Message> messages = new ArrayList<>(pending == null ? List.of() : pending);
        REDELIVERED_MESSAGES.addAndGet(messages.size());
        messages.addAll(received.messages());
        if (received.hasMessages() && !received.messages().isEmpty() && draw()) {
            DOUBLED_RECEIVES.incrementAndGet();
            REDELIVER.merge(request.queueUrl(), List.copyOf(received.messages()), (a, b) -> {
                List<Message> both = new ArrayList<>(a);
                both.addAll(b);
                return both;
            });
        }
        if (pending == null) return received;
        return received.toBuilder().messages(messages).build();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        if (fraction == 0 || !(request instanceof SendMessageRequest send) || send.queueUrl() == null
                || !send.queueUrl().contains("/jobs-") || send.queueUrl().contains("-dlq")
                || Thread.currentThread().getName().startsWith("chaos-")) {
            return;
        }
        if (draw()) {
            DISPATCHES_RECORDED.incrementAndGet();
            DISPATCHES.add(new Dispatch(send.queueUrl(), send.messageBody()));
        }
    }
}
