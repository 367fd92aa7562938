package io.hybridci.aws.sqs;

import io.hybridci.core.deadletter.DeadLetterRedaction;
import io.hybridci.core.port.RejectedMessageQueue;
import io.hybridci.core.updates.AgentMessage;
import io.hybridci.core.updates.RejectionCode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * {@link RejectedMessageQueue} on SQS: one SendMessage to {@code agent-updates-dlq} (FIFO) per rejected message, the
 * original body with the rejection in message attributes. De-duplicated by the original SQS message id, so a batch
 * delivered again within five minutes adds no second copy. Each copy is its own message group (the original message
 * id): nothing consumes a dead-letter queue in order, and with one shared group a receive that hides some copies
 * (a console read, a redrive) would hide every later copy with them, as FIFO locks a group while any of it is in flight.
 *
 * <p>The signature attribute is not copied (a rejected message needs no verifying, and an operator's read of a
 * dead letter should not hand out a valid signature of anything); the signed timestamp is.
 */
public final class SqsRejectedMessageQueue implements RejectedMessageQueue {

    /**
     * The kept body's limit in UTF-8 bytes: the original fitted agent-updates (256 KiB with its attributes);
     * 240 KiB leaves room for the rejection's attributes within the same limit here.
     */
    static final int MAX_BODY_BYTES = 240 * 1024;
    static final int MAX_DETAIL_CHARS = 1_000;
    /** SQS refuses an empty body; a rejected empty message is kept as this. */
    static final String EMPTY_BODY = "(empty body)";

    private final Supplier<SqsClient> sqs;
    private final String queueUrl;

    /**
     * @param sqs      the container's SQS client, asked for at the first rejection: job-updater sends nothing to SQS
     *                 otherwise, so its cold start does not build a client for what is rare
     * @param queueUrl {@code agent-updates-dlq}'s URL
     */
    public SqsRejectedMessageQueue(Supplier<SqsClient> sqs, String queueUrl) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    }

    @Override
    public void keep(AgentMessage message, RejectionCode code, String detail) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put(CODE_ATTRIBUTE, text(code.code()));
        // A schema error can quote a decoded value of the body, NUL and all: SQS takes only its own character set.
        attributes.put(DETAIL_ATTRIBUTE, text(sqsCharacters(prefix(detail, MAX_DETAIL_CHARS))));
        attributes.put(ORIGINAL_ID_ATTRIBUTE, text(message.sqsMessageId()));
        if (message.timestamp() != null && !message.timestamp().isBlank()) {
            attributes.put(AgentMessage.TIMESTAMP_ATTRIBUTE,
                    text(sqsCharacters(prefix(message.timestamp(), MAX_DETAIL_CHARS))));
        }
        String body = message.body().isEmpty() ? EMPTY_BODY : message.body();
        String kept = DeadLetterRedaction.truncateUtf8(body, MAX_BODY_BYTES);
        if (kept.length() < body.length()) {
            attributes.put(TRUNCATED_ATTRIBUTE, text("true"));
        }
        sqs.get().sendMessage(r -> r.queueUrl(queueUrl)
                .messageBody(kept)
                .messageGroupId(message.sqsMessageId())
                .messageDeduplicationId(message.sqsMessageId())
                .messageAttributes(attributes));
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value.isEmpty() ? "-" : value).build();
    }

    /**
     * {@code text} with every character SQS refuses in a message (outside #x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD,
     * #x10000-#x10FFFF) replaced by U+FFFD.
     */
    static String sqsCharacters(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            out.appendCodePoint(allowed ? c : 0xFFFD);
        });
        return out.toString();
    }

    /** At most {@code max} characters, never splitting a surrogate pair (SQS refuses a lone surrogate). */
    static String prefix(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }
}
