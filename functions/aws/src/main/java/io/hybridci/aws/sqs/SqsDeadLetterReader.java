package io.hybridci.aws.sqs;

import io.hybridci.core.port.DeadLetterReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@link DeadLetterReader} on SQS: GetQueueAttributes for {@code ApproximateNumberOfMessages}, then a browse —
 * ReceiveMessage (ten at a time) with a short visibility timeout, so each receive returns messages the earlier ones did
 * not, until enough are seen or none is new, then ChangeMessageVisibilityBatch back to 0, so every message is visible
 * again at once. A message stays in its queue throughout; each browse counts as a receive ({@code
 * ApproximateReceiveCount}); dead-letter queues have no redrive policy of their own, so that cannot move one. Needs
 * {@code sqs:ReceiveMessage}, {@code sqs:ChangeMessageVisibility} and {@code sqs:GetQueueAttributes} (the
 * topology's QueuePeekAccess), never DeleteMessage or SendMessage.
 *
 * <p>What a browse cannot see: in a FIFO queue, the messages of a group queued behind those of the group it already
 * holds (each copy job-updater keeps has a group of its own; a message redriven after five failed batches keeps its
 * agent's group); messages another browse holds at that moment (for up to {@link #BROWSE_VISIBILITY_SECONDS} s if a
 * browse dies before it gives them back).
 */
public final class SqsDeadLetterReader implements DeadLetterReader {

    private static final System.Logger LOG = System.getLogger(SqsDeadLetterReader.class.getName());
    /** How long a browsed message is hidden if it is not given back (the browse died, or the batch call failed). */
    static final int BROWSE_VISIBILITY_SECONDS = 30;
    /** SQS's most messages per ReceiveMessage, and entries per ChangeMessageVisibilityBatch. */
    private static final int SQS_BATCH_LIMIT = 10;

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
        long approximate = Long.parseLong(sqs.getQueueAttributes(r -> r.queueUrl(url)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));
        Map<String, Message> browsed = new LinkedHashMap<>();
        try {
            boolean longPolled = false;
            while (browsed.size() < maxMessages) {
                int wanted = Math.min(SQS_BATCH_LIMIT, maxMessages - browsed.size());
                // A short poll asks only some of SQS's servers: before concluding that nothing is left while the count
                // says there is more, one long poll of a second asks them all.
                if (receiveInto(sqs, url, wanted, 0, browsed) == 0) {
                    if (longPolled || browsed.size() >= approximate) {
                        break;
                    }
                    longPolled = true;
                    if (receiveInto(sqs, url, wanted, 1, browsed) == 0) {
                        break;
                    }
                }
            }
        } finally {
            giveBack(sqs, url, browsed.values().stream().map(Message::receiptHandle).toList());
        }
        return new QueueContents(approximate, browsed.values().stream().map(SqsDeadLetterReader::raw).toList());
    }

    /** One receive; adds the messages not seen before and says how many. */
    private static int receiveInto(SqsClient sqs, String url, int wanted, int waitSeconds, Map<String, Message> browsed) {
        List<Message> received = sqs.receiveMessage(r -> r.queueUrl(url)
                .maxNumberOfMessages(wanted)
                .visibilityTimeout(BROWSE_VISIBILITY_SECONDS)
                .waitTimeSeconds(waitSeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP,
                        MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
                .messageAttributeNames("All")).messages();
        int fresh = 0;
        for (Message message : received) {
            // Received again (SQS delivers at least once): only the latest receipt handle can give it back.
            if (browsed.put(message.messageId(), message) == null) {
                fresh++;
            }
        }
        return fresh;
    }

    /**
     * Makes the browsed messages visible again now. A failure is logged, not thrown: the listing is still right, and
     * the messages come back by themselves after {@link #BROWSE_VISIBILITY_SECONDS} s.
     */
    private static void giveBack(SqsClient sqs, String url, List<String> receiptHandles) {
        for (int from = 0; from < receiptHandles.size(); from += SQS_BATCH_LIMIT) {
            List<String> handles = receiptHandles.subList(from, Math.min(receiptHandles.size(), from + SQS_BATCH_LIMIT));
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < handles.size(); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id("m" + i)
                        .receiptHandle(handles.get(i)).visibilityTimeout(0).build());
            }
            try {
                var failed = sqs.changeMessageVisibilityBatch(r -> r.queueUrl(url).entries(entries)).failed();
                if (!failed.isEmpty()) {
                    LOG.log(System.Logger.Level.WARNING, "{0} browsed dead letters not made visible again at once ({1}); they are in {2} s",
                            failed.size(), failed.getFirst().code(), BROWSE_VISIBILITY_SECONDS);
                }
            } catch (SdkException e) {
                LOG.log(System.Logger.Level.WARNING, "browsed dead letters not made visible again at once ({0}); they are in {1} s",
                        e.getClass().getSimpleName(), BROWSE_VISIBILITY_SECONDS);
            }
        }
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
