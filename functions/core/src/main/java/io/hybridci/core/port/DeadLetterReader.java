package io.hybridci.core.port;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Looks into a dead-letter queue without taking anything out of it: the approximate number of messages and up to
 * {@code maxMessages} of them, left where they are (SQS: a browse by ReceiveMessage, each counting as a receive, then
 * ChangeMessageVisibility back to 0).
 */
public interface DeadLetterReader {

    /**
     * @param queue       the queue's logical name, e.g. {@code jobs-default-dlq}
     * @param maxMessages at least 1
     * @throws IllegalArgumentException for a queue the reader does not know
     */
    QueueContents peek(String queue, int maxMessages);

    /** What a peek saw; it may be fewer messages than the queue holds (see the adapter for when). */
    record QueueContents(long approximateMessages, List<RawMessage> messages) {
        public QueueContents {
            messages = List.copyOf(messages);
        }
    }

    /**
     * One message as the queue holds it.
     *
     * @param sentAt       when it was first sent (for a redriven message: to the work queue it came from)
     * @param receiveCount receives so far, peeks included
     * @param attributes   message attribute names → string values (binary values as {@code [binary]})
     */
    record RawMessage(String messageId, Instant sentAt, int receiveCount, Map<String, String> attributes, String body) {
        public RawMessage {
            Objects.requireNonNull(messageId, "messageId");
            attributes = Map.copyOf(attributes);
            Objects.requireNonNull(body, "body");
        }
    }
}
