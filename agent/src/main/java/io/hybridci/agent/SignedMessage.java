package io.hybridci.agent;

import java.util.Objects;

/**
 * One message for the FIFO queue {@code agent-updates}, ready to send: its body, the SQS FIFO ids,
 * and the two attributes job-updater checks ({@code hybridci-timestamp}, {@code hybridci-signature}).
 */
public record SignedMessage(String body, String groupId, String deduplicationId, String timestamp,
                            String signature, String type, long seq) {

    public SignedMessage {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(deduplicationId, "deduplicationId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(signature, "signature");
    }
}
