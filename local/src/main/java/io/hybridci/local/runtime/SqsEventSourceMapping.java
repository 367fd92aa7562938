package io.hybridci.local.runtime;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * An SQS event-source mapping: long-polls a queue with a real {@link SqsClient}, hands each batch
 * to a function as an {@link SQSEvent}, and deletes what succeeded, as Lambda's poller does.
 *
 * <ul>
 *   <li>A handler that throws fails the whole batch: nothing is deleted, the messages become visible
 *       again after the visibility timeout, and the queue's redrive policy moves them to the DLQ after
 *       {@code maxReceiveCount} receives.</li>
 *   <li>With {@code reportBatchItemFailures}, an {@link SQSBatchResponse} names the failed message ids;
 *       only the others are deleted. A null or empty identifier, or an id not in the batch, makes the
 *       whole batch a failure, as in AWS
 *       (<a href="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html">partial batch responses</a>).</li>
 *   <li>FIFO queues: the queue itself hands out a message group only while none of its messages is in
 *       flight, so order holds as long as nothing later in a group is deleted before an earlier failure
 *       is retried. AWS does not enforce that for partial responses: a FIFO handler must stop at the
 *       first failure and report every later message of that group as failed too. The mapping logs a
 *       warning when a handler breaks this, and otherwise behaves as AWS does (deletes what it is told).</li>
 * </ul>
 * Several pollers may run per mapping (Lambda starts five for a standard queue); {@link #close()}
 * stops them and waits for the batch in hand to finish.
 */
public final class SqsEventSourceMapping implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SqsEventSourceMapping.class);
    /** SQS hands out at most 10 messages per ReceiveMessage call. */
    private static final int MAX_MESSAGES_PER_RECEIVE = 10;

    /**
     * The mapping's settings, as in {@code CreateEventSourceMapping}.
     *
     * @param batchSize               1–10 without a batching window, up to 10,000 with one (standard queues)
     * @param maxBatchingWindow       how long to gather records before invoking (0 for FIFO queues)
     * @param longPollWait            ReceiveMessage wait time, at most 20 s
     * @param pollers                 concurrent pollers, each invoking the function with its own batches
     */
    public record Config(String queueUrl, int batchSize, Duration maxBatchingWindow, boolean reportBatchItemFailures,
                         Duration longPollWait, int pollers) {
        public Config {
            Objects.requireNonNull(queueUrl, "queueUrl");
            Objects.requireNonNull(maxBatchingWindow, "maxBatchingWindow");
            Objects.requireNonNull(longPollWait, "longPollWait");
            if (batchSize < 1 || batchSize > 10_000) throw new IllegalArgumentException("batchSize must be 1..10000: " + batchSize);
            if (batchSize > MAX_MESSAGES_PER_RECEIVE && maxBatchingWindow.isZero()) {
                // Same validation as Lambda: a batch above 10 needs a batching window of at least 1 s.
                throw new IllegalArgumentException("batchSize above 10 needs maxBatchingWindow >= 1s");
            }
            if (maxBatchingWindow.compareTo(Duration.ofMinutes(5)) > 0) throw new IllegalArgumentException("maxBatchingWindow above 300s");
            if (longPollWait.isNegative() || longPollWait.compareTo(Duration.ofSeconds(20)) > 0) {
                throw new IllegalArgumentException("longPollWait must be 0..20s: " + longPollWait);
            }
            if (queueUrl.endsWith(".fifo") && !maxBatchingWindow.isZero()) {
                throw new IllegalArgumentException("FIFO queues do not support a batching window");
            }
            if (pollers < 1) throw new IllegalArgumentException("pollers must be >= 1: " + pollers);
        }

        /**
         * The mapping of a topology {@code SqsTrigger}: 20 s long polls and {@link #LAMBDA_INITIAL_POLLERS}
         * pollers, each with its own batch in hand, as Lambda starts. On a FIFO queue that is still one batch
         * at a time per message group (the queue hands out no later message of a group while one is in
         * flight, LocalSqsIT), so groups are processed in parallel and each group in order, as in AWS, where
         * Lambda scales a FIFO mapping to the number of active groups. One poller made every agent's
         * messages queue behind one another (docs/BENCHMARKS.md, throughput).
         */
        public static Config of(String queueUrl, int batchSize, Duration maxBatchingWindow, boolean reportBatchItemFailures) {
            return new Config(queueUrl, batchSize, maxBatchingWindow, reportBatchItemFailures, Duration.ofSeconds(20),
                    LAMBDA_INITIAL_POLLERS);
        }

        /** Lambda's SQS poller starts with five concurrent batches per mapping. */
        public static final int LAMBDA_INITIAL_POLLERS = 5;
    }

    private final SqsClient sqs;
    private final Config config;
    private final LocalFunction<SQSEvent, ?> function;
    private final String queueArn;
    private final String region;
    private final boolean fifo;
    private final List<Thread> pollers = new ArrayList<>();
    /** Guards {@link #running} and {@link #receiving}, so close() interrupts a poller only while it waits in a receive. */
    private final Object lifecycle = new Object();
    private final Set<Thread> receiving = new HashSet<>();
    private volatile boolean running;

    public SqsEventSourceMapping(SqsClient sqs, Config config, LocalFunction<SQSEvent, ?> function) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.config = Objects.requireNonNull(config, "config");
        this.function = Objects.requireNonNull(function, "function");
        this.queueArn = sqs.getQueueAttributes(r -> r.queueUrl(config.queueUrl()).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        this.region = queueArn.split(":")[3];
        this.fifo = config.queueUrl().endsWith(".fifo");
    }

    /** Starts the pollers (virtual threads). */
    public synchronized SqsEventSourceMapping start() {
        synchronized (lifecycle) {
            if (running) return this;
            running = true;
        }
        for (int i = 0; i < config.pollers(); i++) {
            pollers.add(Thread.ofVirtual().name("sqs-esm-" + function.name() + "-" + i).start(this::pollUntilClosed));
        }
        return this;
    }

    /** The ARN the events carry as {@code eventSourceARN}. */
    public String queueArn() {
        return queueArn;
    }

    private void pollUntilClosed() {
        while (running) {
            try {
                List<Message> batch = receiveBatch();
                if (!batch.isEmpty()) processBatch(batch);
            } catch (RuntimeException e) {
                if (!running) return; // close() interrupted a long poll
                LOG.warn("{}: polling {} failed, retrying: {}", function.name(), config.queueUrl(), e.toString());
                pause(Duration.ofMillis(500));
            }
        }
    }

    /** One long poll, then more receives until the batch is full or the batching window is over. */
    private List<Message> receiveBatch() {
        List<Message> batch = new ArrayList<>(receive(Math.min(config.batchSize(), MAX_MESSAGES_PER_RECEIVE),
                (int) config.longPollWait().toSeconds()));
        if (batch.isEmpty() || config.maxBatchingWindow().isZero()) return batch;
        long windowEnd = System.nanoTime() + config.maxBatchingWindow().toNanos();
        while (running && batch.size() < config.batchSize()) {
            long remainingNanos = windowEnd - System.nanoTime();
            if (remainingNanos <= 0) break;
            int wait = (int) Math.min(20, TimeUnit.NANOSECONDS.toSeconds(remainingNanos));
            batch.addAll(receive(Math.min(config.batchSize() - batch.size(), MAX_MESSAGES_PER_RECEIVE), wait));
        }
        return batch;
    }

    private List<Message> receive(int max, int waitSeconds) {
        Thread self = Thread.currentThread();
        synchronized (lifecycle) {
            if (!running) return List.of();
            receiving.add(self);
        }
        try {
            return sqs.receiveMessage(r -> r.queueUrl(config.queueUrl())
                    .maxNumberOfMessages(max)
                    .waitTimeSeconds(waitSeconds)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                    .messageAttributeNames("All")).messages();
        } finally {
            synchronized (lifecycle) {
                receiving.remove(self);
                Thread.interrupted(); // an interrupt meant for the wait must not abort the batch's deletes
            }
        }
    }

    private void processBatch(List<Message> batch) {
        SQSEvent event = toEvent(batch);
        Object response;
        try {
            response = function.invoke(event);
        } catch (RuntimeException e) {
            // Whole batch failed: leave every message to its visibility timeout (and the redrive policy).
            LOG.warn("{}: batch of {} failed, {} message(s) will be retried after the visibility timeout",
                    function.name(), batch.size(), batch.size());
            return;
        }
        Set<String> failedIds = config.reportBatchItemFailures() ? failedIds(response, batch) : Set.of();
        if (failedIds == null) {
            LOG.warn("{}: invalid batchItemFailures response, treating the whole batch as failed", function.name());
            return;
        }
        if (fifo && !failedIds.isEmpty()) warnIfFifoOrderBroken(batch, failedIds);
        List<Message> succeeded = batch.stream().filter(m -> !failedIds.contains(m.messageId())).toList();
        delete(succeeded);
    }

    /** The failed message ids, or null when the response makes the whole batch a failure. */
    private static Set<String> failedIds(Object response, List<Message> batch) {
        if (!(response instanceof SQSBatchResponse batchResponse) || batchResponse.getBatchItemFailures() == null) {
            return Set.of();
        }
        Set<String> inBatch = new HashSet<>();
        batch.forEach(m -> inBatch.add(m.messageId()));
        Set<String> failed = new HashSet<>();
        for (SQSBatchResponse.BatchItemFailure failure : batchResponse.getBatchItemFailures()) {
            String id = failure == null ? null : failure.getItemIdentifier();
            if (id == null || id.isEmpty() || !inBatch.contains(id)) return null;
            failed.add(id);
        }
        return failed;
    }

    private void warnIfFifoOrderBroken(List<Message> batch, Set<String> failedIds) {
        Set<String> groupsWithFailure = new HashSet<>();
        for (Message message : batch) {
            String group = message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
            if (failedIds.contains(message.messageId())) {
                groupsWithFailure.add(group);
            } else if (groupsWithFailure.contains(group)) {
                LOG.warn("{}: FIFO message {} of group {} succeeded after an earlier failure of its group; "
                        + "it will be deleted and the group's order is broken (report later messages as failed too)",
                        function.name(), message.messageId(), group);
            }
        }
    }

    private void delete(List<Message> messages) {
        for (int from = 0; from < messages.size(); from += MAX_MESSAGES_PER_RECEIVE) {
            List<Message> chunk = messages.subList(from, Math.min(messages.size(), from + MAX_MESSAGES_PER_RECEIVE));
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(chunk.get(i).receiptHandle()).build());
            }
            DeleteMessageBatchResponse response = sqs.deleteMessageBatch(r -> r.queueUrl(config.queueUrl()).entries(entries));
            // A message we failed to delete is delivered again: at-least-once, never lost. Say so.
            response.failed().forEach(f -> LOG.warn("{}: could not delete message {} ({}): it will be redelivered",
                    function.name(), chunk.get(Integer.parseInt(f.id())).messageId(), f.message()));
        }
    }

    SQSEvent toEvent(List<Message> batch) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>(batch.size());
        for (Message message : batch) {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId(message.messageId());
            record.setReceiptHandle(message.receiptHandle());
            record.setBody(message.body());
            record.setMd5OfBody(message.md5OfBody());
            record.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
            record.setEventSource("aws:sqs");
            record.setEventSourceArn(queueArn);
            record.setAwsRegion(region);
            record.setAttributes(new LinkedHashMap<>(message.attributesAsStrings()));
            record.setMessageAttributes(toEventAttributes(message.messageAttributes()));
            records.add(record);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    private static Map<String, SQSEvent.MessageAttribute> toEventAttributes(Map<String, MessageAttributeValue> attributes) {
        Map<String, SQSEvent.MessageAttribute> converted = new HashMap<>();
        attributes.forEach((name, value) -> {
            SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
            attribute.setDataType(value.dataType());
            attribute.setStringValue(value.stringValue());
            if (value.binaryValue() != null) attribute.setBinaryValue(ByteBuffer.wrap(value.binaryValue().asByteArray()));
            // Lambda sends these lists empty, never null (they are reserved by SQS).
            attribute.setStringListValues(new ArrayList<>(value.stringListValues()));
            attribute.setBinaryListValues(value.binaryListValues().stream().map(SdkBytes::asByteBuffer).toList());
            converted.put(name, attribute);
        });
        return converted;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops polling; a batch being processed finishes first (its deletes included). */
    @Override
    public void close() {
        List<Thread> started;
        synchronized (this) {
            started = List.copyOf(pollers);
            pollers.clear();
        }
        synchronized (lifecycle) {
            running = false;
            // A poller blocked in a long poll has no batch in hand: interrupting aborts only the wait
            // (socket reads on virtual threads are interruptible). A poller processing a batch finishes it.
            receiving.forEach(Thread::interrupt);
        }
        for (Thread poller : started) {
            try {
                if (!poller.join(Duration.ofSeconds(30))) LOG.warn("{}: poller did not stop within 30 s", function.name());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
