package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.AgentMessageLedger;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/** {@link AgentMessageLedger} in memory, for unit tests of the use cases. */
public final class InMemoryAgentMessageLedger implements AgentMessageLedger {
    private final ConcurrentHashMap<String, String> messageIdBySeq = new ConcurrentHashMap<>();

    @Override
    public Outcome record(String jobId, long seq, String sqsMessageId, Instant at, Instant forgetAt) {
        String first = messageIdBySeq.putIfAbsent(jobId + "#" + seq, sqsMessageId);
        if (first == null) {
            return Outcome.FIRST;
        }
        return first.equals(sqsMessageId) ? Outcome.REDELIVERY : Outcome.REPLAY;
    }
}
