package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.RejectedMessageQueue;
import io.hybridci.core.updates.AgentMessage;
import io.hybridci.core.updates.RejectionCode;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link RejectedMessageQueue} in memory: one entry per SQS message id, as the FIFO queue's de-duplication. */
public final class InMemoryRejectedMessageQueue implements RejectedMessageQueue {

    /** One kept message. */
    public record Kept(AgentMessage message, RejectionCode code, String detail) {
    }

    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    @Override
    public void keep(AgentMessage message, RejectionCode code, String detail) {
        kept.putIfAbsent(message.sqsMessageId(), new Kept(message, code, detail));
    }

    public List<Kept> kept() {
        return List.copyOf(kept.values());
    }
}
