package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.DeadLetterReader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Dead-letter queues in memory, for core and api unit tests; a peek counts a receive, as in SQS. */
public final class InMemoryDeadLetterReader implements DeadLetterReader {

    private final Map<String, List<RawMessage>> queues = new LinkedHashMap<>();

    /** An empty queue of this name. */
    public InMemoryDeadLetterReader queue(String name) {
        queues.computeIfAbsent(name, _ -> new ArrayList<>());
        return this;
    }

    /** Adds a message to the queue {@code name} (created if new). */
    public synchronized InMemoryDeadLetterReader add(String name, RawMessage message) {
        queues.computeIfAbsent(name, _ -> new ArrayList<>()).add(message);
        return this;
    }

    @Override
    public synchronized QueueContents peek(String queue, int maxMessages) {
        List<RawMessage> messages = queues.get(queue);
        if (messages == null) {
            throw new IllegalArgumentException("no dead-letter queue " + queue + "; known: " + queues.keySet());
        }
        List<RawMessage> peeked = new ArrayList<>();
        for (int i = 0; i < Math.min(maxMessages, messages.size()); i++) {
            RawMessage message = messages.get(i);
            RawMessage received = new RawMessage(message.messageId(), message.sentAt(), message.receiveCount() + 1,
                    message.attributes(), message.body());
            messages.set(i, received);
            peeked.add(received);
        }
        return new QueueContents(messages.size(), peeked);
    }
}
