package io.hybridci.agent;

import io.hybridci.schema.EventTypes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Sends agent messages to the FIFO queue {@code agent-updates}, retrying every failure with
 * {@link Backoff} until SQS accepts the message. Retrying is safe: the deduplication id
 * ({@code jobId-seq}) makes SQS keep one copy of a message sent twice within five minutes.
 */
public final class SqsUpdatesSender implements UpdatesSender {

    private final SqsClient sqs;
    private final String queueUrl;
    private final Backoff backoff;
    private final AgentLog log;

    public SqsUpdatesSender(SqsClient sqs, String queueUrl, Backoff backoff, AgentLog log) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public void send(Supplier<SignedMessage> message) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            SignedMessage m = message.get();
            try {
                sqs.sendMessage(SendMessageRequest.builder()
                        .queueUrl(queueUrl)
                        .messageBody(m.body())
                        .messageGroupId(m.groupId())
                        .messageDeduplicationId(m.deduplicationId())
                        .messageAttributes(Map.of(
                                EventTypes.ATTRIBUTE_TIMESTAMP, string(m.timestamp()),
                                EventTypes.ATTRIBUTE_SIGNATURE, string(m.signature())))
                        .build());
                if (attempt > 0) {
                    log.info("sent " + m.type() + " " + m.deduplicationId() + " after " + attempt + " retries");
                }
                return;
            } catch (SdkException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("interrupted while sending " + m.deduplicationId());
                }
                log.warn("sending " + m.type() + " " + m.deduplicationId() + " failed (" + e.getMessage()
                        + "); retrying");
                backoff.sleep(attempt);
            }
        }
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
