package io.hybridci.aws.sqs;

import io.hybridci.core.job.PriorityBand;
import io.hybridci.core.port.JobDispatcher;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * {@link JobDispatcher} on SQS: per agent queue a standard queue {@code jobs-<queue>} and its high-priority
 * twin {@code jobs-<queue>-high}, URLs given at construction (from {@code JOB_QUEUE_URLS} and
 * {@code PRIORITY_JOB_QUEUE_URLS}), so no GetQueueUrl call is ever made on the dispatch path.
 */
public final class SqsJobDispatcher implements JobDispatcher {

    private final SqsClient sqs;
    private final Map<String, String> queueUrls;
    private final Map<String, String> priorityQueueUrls;

    /**
     * @param priorityQueueUrlsByAgentQueue the high-priority queues; an agent queue without one (a deployment
     *                                      older than the priority queues) gets its HIGH jobs on the ordinary
     *                                      queue: late, never lost
     */
    public SqsJobDispatcher(SqsClient sqs, Map<String, String> queueUrlsByAgentQueue,
                            Map<String, String> priorityQueueUrlsByAgentQueue) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrls = Map.copyOf(queueUrlsByAgentQueue);
        this.priorityQueueUrls = Map.copyOf(priorityQueueUrlsByAgentQueue);
    }

    @Override
    public void dispatch(String queue, String messageJson) {
        dispatch(queue, PriorityBand.NORMAL, messageJson);
    }

    @Override
    public void dispatch(String queue, PriorityBand band, String messageJson) {
        String url = queueUrls.get(queue);
        if (url == null) {
            throw new IllegalArgumentException("no SQS queue for agent queue '" + queue + "'; known: "
                    + queueUrls.keySet().stream().sorted().toList());
        }
        String target = switch (band) {
            case NORMAL -> url;
            case HIGH -> priorityQueueUrls.getOrDefault(queue, url);
        };
        sqs.sendMessage(SendMessageRequest.builder().queueUrl(target).messageBody(messageJson).build());
    }
}
