package io.hybridci.core.deadletter;

import java.util.Objects;

/**
 * A queue that keeps what was given up on (the topology's dead-letter and failure queues).
 *
 * @param name         logical name, e.g. {@code jobs-default-dlq}
 * @param kind         how messages get there: {@code queue-redrive}, {@code stream-on-failure}, {@code bus-targets}
 * @param deadLetterOf what it is the dead-letter queue of (a work queue, a stream consumer, the bus's targets)
 */
public record DeadLetterQueue(String name, String kind, String deadLetterOf) {

    public DeadLetterQueue {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(deadLetterOf, "deadLetterOf");
    }
}
