package io.hybridci.core.deadletter;

import io.hybridci.core.port.DeadLetterReader;
import io.hybridci.core.port.DeadLetterReader.RawMessage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where every poison message is (issue 8): for each dead-letter and failure queue, what it keeps, about how many
 * messages it holds and a peek at up to {@value #MAX_LIMIT} of them ({@value #MAX_QUEUE_LIMIT} of one queue), bodies truncated to {@value #MAX_BODY_BYTES} bytes and
 * secrets redacted ({@link DeadLetterRedaction}). Reading never moves a message: the reader peeks.
 */
public final class DeadLetters {

    /** Per queue when every queue is listed: seven queues' worth stays a small answer. */
    public static final int MAX_LIMIT = 10;
    /**
     * When one queue is asked for: every poison message of a chaos run (a few dozen) in one answer, which stays under
     * Lambda's 6 MB response even if every body is 4 KiB of characters JSON escapes (6 bytes each).
     */
    public static final int MAX_QUEUE_LIMIT = 100;
    public static final int DEFAULT_LIMIT = 10;
    /** 4 KiB of a body: enough to recognise a message, small enough for seven queues in one answer. */
    public static final int MAX_BODY_BYTES = 4096;

    private final List<DeadLetterQueue> queues;
    private final DeadLetterReader reader;

    /** @param queues the queues to show, in the order shown (the topology's order) */
    public DeadLetters(List<DeadLetterQueue> queues, DeadLetterReader reader) {
        this.queues = List.copyOf(queues);
        this.reader = Objects.requireNonNull(reader, "reader");
    }

    /** The queues this instance shows, by logical name. */
    public List<String> queueNames() {
        return queues.stream().map(DeadLetterQueue::name).toList();
    }

    /**
     * @param queue empty: every queue; otherwise only the queue of that logical name
     * @param limit messages peeked per queue, 1..{@link #maxLimit}
     */
    public Listing list(Optional<String> queue, int limit) {
        if (limit < 1 || limit > maxLimit(queue.isPresent())) {
            throw new IllegalArgumentException("limit must be 1.." + maxLimit(queue.isPresent()) + ", is " + limit);
        }
        List<DeadLetterQueue> chosen = queue
                .map(name -> queues.stream().filter(candidate -> candidate.name().equals(name)).toList())
                .orElse(queues);
        if (chosen.isEmpty()) {
            return new Listing.UnknownQueue(queue.orElseThrow(), queueNames());
        }
        List<QueueView> views = new ArrayList<>();
        for (DeadLetterQueue deadLetterQueue : chosen) {
            DeadLetterReader.QueueContents contents = reader.peek(deadLetterQueue.name(), limit);
            views.add(new QueueView(deadLetterQueue, contents.approximateMessages(),
                    contents.messages().stream().limit(limit).map(DeadLetters::view).toList()));
        }
        return new Listing.Listed(views);
    }

    /** The largest {@code limit} of {@link #list}: {@value #MAX_QUEUE_LIMIT} for one queue, else {@value #MAX_LIMIT}. */
    public static int maxLimit(boolean oneQueue) {
        return oneQueue ? MAX_QUEUE_LIMIT : MAX_LIMIT;
    }

    /** One message as shown: redacted first, then truncated, with the size of the redacted body. */
    static MessageView view(RawMessage message) {
        String redacted = DeadLetterRedaction.body(message.body());
        String shown = DeadLetterRedaction.truncateUtf8(redacted, MAX_BODY_BYTES);
        Map<String, String> attributes = new TreeMap<>();
        message.attributes().forEach((name, value) -> attributes.put(name, DeadLetterRedaction.attributeValue(name, value)));
        return new MessageView(message.messageId(), message.sentAt(), message.receiveCount(), attributes, shown,
                redacted.getBytes(StandardCharsets.UTF_8).length, shown.length() < redacted.length());
    }

    /** The answer to a listing. */
    public sealed interface Listing {
        /** The queues asked for, in topology order. */
        record Listed(List<QueueView> queues) implements Listing {
            public Listed {
                queues = List.copyOf(queues);
            }

            /** Approximate messages per queue, by logical name (the chaos report prints it). */
            public Map<String, Long> counts() {
                Map<String, Long> counts = new LinkedHashMap<>();
                queues.forEach(view -> counts.put(view.queue().name(), view.approximateMessages()));
                return counts;
            }
        }

        /** No dead-letter queue has that name. */
        record UnknownQueue(String name, List<String> known) implements Listing {
            public UnknownQueue {
                known = List.copyOf(known);
            }
        }
    }

    /** A queue, its approximate size and the messages peeked. */
    public record QueueView(DeadLetterQueue queue, long approximateMessages, List<MessageView> messages) {
        public QueueView {
            messages = List.copyOf(messages);
        }
    }

    /**
     * A message as shown.
     *
     * @param bodyBytes     size of the whole (redacted) body in UTF-8
     * @param bodyTruncated whether {@code body} is only its first {@value #MAX_BODY_BYTES} bytes
     */
    public record MessageView(String messageId, Instant sentAt, int receiveCount, Map<String, String> attributes,
                              String body, int bodyBytes, boolean bodyTruncated) {
        public MessageView {
            attributes = Map.copyOf(attributes);
        }
    }
}
