package io.hybridci.aws.sqs;

import io.hybridci.core.port.DeadLetterReader;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@link DeadLetterReader} on SQS: GetQueueAttributes for {@code ApproximateNumberOfMessages}, then one
 * ReceiveMessage with {@code VisibilityTimeout=0} and no wait, so every message stays visible and in its queue.
 * A peek is a receive (it raises {@code ApproximateReceiveCount}); dead-letter queues have no redrive policy of
 * their own, so it cannot move a message anywhere. Needs only {@code sqs:ReceiveMessage} and
 * {@code sqs:GetQueueAttributes} (the topology's QueuePeekAccess), never DeleteMessage.
 */
public final class SqsDeadLetterReader implements DeadLetterReader {

    private final Supplier<SqsClient> sqs;
    private final Map<String, String> queueUrls;

    /**
     * @param sqs       the container's SQS client, asked for at the first peek: the api sends nothing to SQS otherwise,
     *                  so its cold start does not pay for a client this rare admin route needs
     * @param queueUrls logical queue name → URL (from {@code DEAD_LETTER_QUEUES})
     */
    public SqsDeadLetterReader(Supplier<SqsClient> sqs, Map<String, String> queueUrls) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrls = Map.copyOf(queueUrls);
    }

    @Override
    public QueueContents peek(String queue, int maxMessages) {
        String url = queueUrls.get(queue);
        if (url == null) {
            throw new IllegalArgumentException("no dead-letter queue '" + queue + "'; known: "
                    + queueUrls.keySet().stream().sorted().toList());
        }
        SqsClient sqs = this.sqs.get();
        String approximate = sqs.getQueueAttributes(r -> r.queueUrl(url)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0");
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url)
                .maxNumberOfMessages(maxMessages)
                .visibilityTimeout(0)
                .waitTimeSeconds(0)
                .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP,
                        MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
                .messageAttributeNames("All")).messages();
        return new QueueContents(Long.parseLong(approximate), messages.stream().map(SqsDeadLetterReader::raw).toList());
    }

    private static RawMessage raw(Message message) {
        Map<MessageSystemAttributeName, String> system = message.attributes();
        String sent = system.get(MessageSystemAttributeName.SENT_TIMESTAMP);
        String receives = system.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        Map<String, String> attributes = new LinkedHashMap<>();
        message.messageAttributes().forEach((name, value) -> attributes.put(name, text(value)));
        return new RawMessage(message.messageId(), sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent)),
                receives == null ? 0 : Integer.parseInt(receives), attributes,
                message.body() == null ? "" : message.body());
    }

    /** String and Number attributes carry a string value; a Binary one is shown as a marker. */
    private static String text(MessageAttributeValue value) {
        return value.stringValue() != null ? value.stringValue() : "[binary]";
    }
}
