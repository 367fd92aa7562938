package io.hybridci.core.updates;

import java.time.Instant;
import java.util.Objects;

/**
 * One message from the FIFO queue {@code agent-updates}, as the job-updater hands it to
 * {@link AgentUpdates}: the body exactly as received and the two message attributes that sign it.
 *
 * @param sqsMessageId SQS's own id: the same for a re-delivery, new for a replayed copy
 * @param body the JSON body (an {@code agent-started}, {@code agent-log} or {@code agent-finished} message)
 * @param timestamp the {@code hybridci-timestamp} attribute, or {@code null} when absent
 * @param signature the {@code hybridci-signature} attribute, or {@code null} when absent
 * @param sentAt when SQS accepted the message (its {@code SentTimestamp} attribute), or {@code null}
 *        when unknown. Freshness is judged against it rather than against the handler's clock, so a
 *        message retried after a transient failure minutes later is not mistaken for a replay; a real
 *        replay has to be sent to SQS again, which gives it a new, late {@code SentTimestamp}.
 */
public record AgentMessage(String sqsMessageId, String body, String timestamp, String signature, Instant sentAt) {

    /** Message attribute carrying the ISO-8601 instant the agent signed at. */
    public static final String TIMESTAMP_ATTRIBUTE = "hybridci-timestamp";
    /** Message attribute carrying the lowercase hex HMAC-SHA256 over {@code timestamp + "\n" + body}. */
    public static final String SIGNATURE_ATTRIBUTE = "hybridci-signature";

    public AgentMessage {
        Objects.requireNonNull(sqsMessageId, "sqsMessageId");
        Objects.requireNonNull(body, "body");
    }

    /** A message whose send time is unknown: freshness is judged against the handler's clock. */
    public AgentMessage(String sqsMessageId, String body, String timestamp, String signature) {
        this(sqsMessageId, body, timestamp, signature, null);
    }

    @Override
    public String toString() {  // bodies can be 128 KiB of log: keep log lines short
        return "AgentMessage[sqsMessageId=" + sqsMessageId + ", bodyLength=" + body.length() + "]";
    }
}
