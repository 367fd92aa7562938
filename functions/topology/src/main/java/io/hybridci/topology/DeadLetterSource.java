package io.hybridci.topology;

import java.util.Locale;
import java.util.Objects;

/**
 * A queue that keeps what was given up on, and what for: the api lists them (GET /api/v1/dead-letters) and
 * receives them, with their URLs, in {@link EnvironmentNames#DEAD_LETTER_QUEUES}.
 *
 * @param queue        the queue's logical name, e.g. {@code jobs-default-dlq}
 * @param kind         how messages get there
 * @param deadLetterOf what it is the dead-letter queue of: the work queue's logical name, the stream consumer,
 *                     or the bus's targets
 */
public record DeadLetterSource(String queue, Kind kind, String deadLetterOf) {

    public DeadLetterSource {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(deadLetterOf, "deadLetterOf");
    }

    /** How a message reaches the queue. */
    public enum Kind {
        /** SQS moved it after the work queue's maxReceiveCount receives without a delete. */
        QUEUE_REDRIVE,
        /** Lambda wrote a stream batch's description after the trigger's last retry. */
        STREAM_ON_FAILURE,
        /** EventBridge sent an event no rule or schedule target accepted. */
        BUS_TARGETS;

        /** {@code queue-redrive}, {@code stream-on-failure}, {@code bus-targets}: the wire form. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
