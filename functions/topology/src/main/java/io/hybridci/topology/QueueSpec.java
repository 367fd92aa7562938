package io.hybridci.topology;

import java.util.Objects;
import java.util.Optional;

/**
 * An SQS queue, by its logical name. AWS requires a FIFO queue's name to end in {@code .fifo};
 * the logical name never does, {@link #physicalName()} adds the suffix, so code and docs speak
 * of {@code agent-updates} while AWS sees {@code agent-updates.fifo}.
 *
 * @param name                      logical name, e.g. {@code jobs-default}
 * @param role                      why the queue exists; decides which rules of {@link TopologyCheck} apply
 * @param fifo                      FIFO (ordered per message group, exactly-once send) or standard
 * @param contentBasedDeduplication FIFO only: derive the dedup id from the body (we send explicit ids instead)
 * @param visibilityTimeoutSeconds  how long a received message stays invisible before another receive gets it
 * @param messageRetentionSeconds   how long an unreceived message is kept (60 s – 14 days)
 * @param receiveWaitSeconds        long-poll wait of a receive (0 – 20 s)
 * @param dlqName                   logical name of the dead-letter queue; null only when the queue is itself
 *                                  a dead-letter queue or a failure destination
 * @param maxReceiveCount           receives before a message is moved to the DLQ; 0 when there is no DLQ
 */
public record QueueSpec(String name, QueueRole role, boolean fifo, boolean contentBasedDeduplication,
                        int visibilityTimeoutSeconds, int messageRetentionSeconds, int receiveWaitSeconds,
                        String dlqName, int maxReceiveCount) {

    /** AWS's limit on a queue name, {@code .fifo} suffix included. */
    public static final int MAX_PHYSICAL_NAME_LENGTH = 80;

    /** The longest retention SQS allows; used for queues a human must have time to inspect. */
    public static final int FOURTEEN_DAYS_SECONDS = 14 * 24 * 3600;

    /** SQS's longest long-poll wait: fewer empty receives, lower latency on arrival. */
    public static final int MAX_RECEIVE_WAIT_SECONDS = 20;

    public QueueSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }

    /**
     * A dead-letter queue: kept for 14 days so a human can inspect and redrive, never consumed
     * by a function, hence no DLQ of its own.
     */
    public static QueueSpec deadLetter(String name, boolean fifo) {
        return new QueueSpec(name, QueueRole.DEAD_LETTER, fifo, false, 30, FOURTEEN_DAYS_SECONDS,
                MAX_RECEIVE_WAIT_SECONDS, null, 0);
    }

    /**
     * The on-failure destination of a stream mapping: Lambda writes the shard and sequence range
     * of a batch that exhausted its retries; like a DLQ, it is kept for inspection.
     */
    public static QueueSpec failureDestination(String name) {
        return new QueueSpec(name, QueueRole.FAILURE_DESTINATION, false, false, 30, FOURTEEN_DAYS_SECONDS,
                MAX_RECEIVE_WAIT_SECONDS, null, 0);
    }

    /** The name AWS (and ElasticMQ) knows the queue by. */
    public String physicalName() {
        return fifo ? name + ".fifo" : name;
    }

    /** The dead-letter queue's logical name, if this queue redrives to one. */
    public Optional<String> findDlqName() {
        return Optional.ofNullable(dlqName);
    }

    /** Why a queue exists. */
    public enum QueueRole {
        /** Carries work: jobs to agents, agent updates to job-updater. Must redrive to a DLQ. */
        WORK,
        /** Receives messages a WORK queue gave up on. */
        DEAD_LETTER,
        /** Receives the description of a stream batch that a function gave up on. */
        FAILURE_DESTINATION
    }
}
