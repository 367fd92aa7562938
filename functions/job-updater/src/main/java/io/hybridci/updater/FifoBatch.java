package io.hybridci.updater;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Partial batch response for a FIFO queue, per message group.
 *
 * <p>Lambda deletes every message not listed as failed, and re-delivers the listed ones. On a FIFO
 * queue a listed message must not be overtaken by a later message of its group, or a job could
 * see {@code finished} before {@code started}: so once a message of a group fails, every later
 * message of that group in the batch is listed too, unprocessed. AWS's own advice is to stop the
 * whole batch at the first failure
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting);
 * order is only promised within a group
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html),
 * so other groups (other jobs) go on, as Powertools' FIFO processor does with {@code skipGroupOnError}.
 */
final class FifoBatch {

    /** The SQS system attribute naming a FIFO message's group (here: the job id). */
    static final String MESSAGE_GROUP_ID = "MessageGroupId";

    private FifoBatch() {
    }

    /**
     * Runs {@code succeeded} over the messages in order and reports the failed ones.
     *
     * @param succeeded true when the message is done with (acknowledged), false to have it delivered again
     */
    static SQSBatchResponse process(List<SQSMessage> messages, Predicate<SQSMessage> succeeded) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        Set<String> failedGroups = new HashSet<>();
        for (SQSMessage message : messages) {
            String group = groupOf(message);
            boolean ok = !failedGroups.contains(group) && succeeded.test(message);
            if (!ok) {
                failedGroups.add(group);
                failures.add(SQSBatchResponse.BatchItemFailure.builder()
                        .withItemIdentifier(message.getMessageId()).build());
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /** A message without a group (not from a FIFO queue) is its own group. */
    private static String groupOf(SQSMessage message) {
        String group = message.getAttributes() == null ? null : message.getAttributes().get(MESSAGE_GROUP_ID);
        return group != null ? group : "message:" + message.getMessageId();
    }
}
