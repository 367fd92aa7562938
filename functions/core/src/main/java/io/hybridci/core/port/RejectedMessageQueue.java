package io.hybridci.core.port;

import io.hybridci.core.updates.AgentMessage;
import io.hybridci.core.updates.RejectionCode;

/**
 * Where job-updater keeps an agent message it rejected (forged, malformed, replayed, for a job the sender does not
 * hold): {@code agent-updates}' own dead-letter queue. The security log already records <em>that</em> a message was
 * refused; this keeps <em>the message</em>, so an operator finds every poison message in a DLQ and can read it
 * through {@code GET /api/v1/dead-letters}. A rejected message is acknowledged, never retried (retrying it would
 * block its FIFO group five times over for nothing), so SQS's redrive would never move it there by itself.
 *
 * <p>At least once: keeping the same SQS message again (a re-delivery of the batch) must not add a second copy
 * where the queue can tell (FIFO de-duplication by the message id, five minutes), and may where it cannot.
 */
public interface RejectedMessageQueue {

    /** Message attribute naming the rejection's code ({@link RejectionCode#code()}). */
    String CODE_ATTRIBUTE = "hybridci-rejection-code";
    /** Message attribute with the rejection's reason, as the security log has it (at most 1,000 characters). */
    String DETAIL_ATTRIBUTE = "hybridci-rejection-detail";
    /** Message attribute naming the SQS message id the message had on {@code agent-updates}. */
    String ORIGINAL_ID_ATTRIBUTE = "hybridci-rejected-message-id";
    /** Message attribute present (value {@code true}) when the kept body is a prefix of the original. */
    String TRUNCATED_ATTRIBUTE = "hybridci-body-truncated";

    /**
     * Keeps {@code message} with why it was rejected.
     *
     * @throws RuntimeException when the queue could not take it; the caller has the message delivered again
     */
    void keep(AgentMessage message, RejectionCode code, String detail);
}
