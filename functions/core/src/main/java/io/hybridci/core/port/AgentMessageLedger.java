package io.hybridci.core.port;

import java.time.Instant;

/**
 * Which agent messages (job id + seq) were processed, under which SQS message id. Tells a
 * harmless re-delivery of the same SQS message from a replay of a signed body in a new one.
 */
public interface AgentMessageLedger {

    enum Outcome { FIRST, REDELIVERY, REPLAY }

    Outcome record(String jobId, long seq, String sqsMessageId, Instant at, Instant forgetAt);
}
