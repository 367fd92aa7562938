package io.hybridci.infra;

import io.hybridci.topology.QueueSpec;
import io.hybridci.topology.QueueSpec.QueueRole;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The SQS queues of the topology, each exactly as its {@link QueueSpec} says (FIFO, visibility,
 * retention, long-poll wait, redrive to its DLQ after {@code maxReceiveCount} receives).
 *
 * <p>All are encrypted with SQS-managed keys (SSE-SQS): it costs nothing, needs no KMS grants for
 * agents outside AWS, and the bodies carry no secrets (job-dispatch messages and signed updates).
 * All refuse plain HTTP ({@code enforceSSL}). Names are {@code <stack>-<physical name>} so an
 * operator recognises them and two stacks can share an account.
 */
public final class Queues extends Construct {

    private final Map<String, Queue> byName = new LinkedHashMap<>();

    public Queues(Construct scope, String id, List<QueueSpec> specs) {
        super(scope, id);
        String prefix = Stack.of(this).getStackName() + "-";
        // Dead-letter queues first: a work queue's redrive policy refers to its DLQ.
        specs.stream()
                .sorted(Comparator.comparing(spec -> spec.role() == QueueRole.WORK))
                .forEach(spec -> byName.put(spec.name(), create(spec, prefix)));
    }

    /** The queue of this logical name. */
    public Queue queue(String name) {
        Queue queue = byName.get(name);
        if (queue == null) {
            throw new NoSuchElementException("no queue '" + name + "'; known: " + byName.keySet());
        }
        return queue;
    }

    /** Every queue by logical name. */
    public Map<String, Queue> all() {
        return Map.copyOf(byName);
    }

    private Queue create(QueueSpec spec, String prefix) {
        Queue.Builder builder = Queue.Builder.create(this, Names.pascal(spec.name()) + "Queue")
                .queueName(prefix + spec.physicalName())
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .visibilityTimeout(Duration.seconds(spec.visibilityTimeoutSeconds()))
                .retentionPeriod(Duration.seconds(spec.messageRetentionSeconds()))
                .receiveMessageWaitTime(Duration.seconds(spec.receiveWaitSeconds()));
        if (spec.fifo()) {
            builder.fifo(true).contentBasedDeduplication(spec.contentBasedDeduplication());
        }
        spec.findDlqName().ifPresent(dlq -> builder.deadLetterQueue(DeadLetterQueue.builder()
                .queue(queue(dlq))
                .maxReceiveCount(spec.maxReceiveCount())
                .build()));
        return builder.build();
    }
}
