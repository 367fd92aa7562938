package io.hybridci.core.port;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Looks into a dead-letter queue without taking anything out of it: the approximate number of messages and up to
 * ten of them, left where they are (SQS: ReceiveMessage with visibility 0, which counts as a receive).
 */
public interface DeadLetterReader {

    /**
     * @param queue       the queue's logical name, e.g. {@code jobs-default-dlq}
     * @param maxMessages 1..10 (SQS's limit per receive)
     * @throws IllegalArgumentException for a queue the reader does not know
     */
    QueueContents peek(String queue, int maxMessages);

    /** What a peek saw; SQS may return fewer messages than the queue holds (it samples its servers). */
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
