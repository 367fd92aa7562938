package io.hybridci.aws.sqs;

import io.hybridci.core.port.JobDispatcher;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * {@link JobDispatcher} on SQS: one standard queue per agent queue name, URLs given at construction
 * (from {@code JOB_QUEUE_URLS}), so no GetQueueUrl call is ever made on the dispatch path.
 */
public final class SqsJobDispatcher implements JobDispatcher {

    private final SqsClient sqs;
    private final Map<String, String> queueUrls;

    public SqsJobDispatcher(SqsClient sqs, Map<String, String> queueUrlsByAgentQueue) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrls = Map.copyOf(queueUrlsByAgentQueue);
    }

    @Override
    public void dispatch(String queue, String messageJson) {
        String url = queueUrls.get(queue);
        if (url == null) {
            throw new IllegalArgumentException("no SQS queue for agent queue '" + queue + "'; known: "
                    + queueUrls.keySet().stream().sorted().toList());
        }
        sqs.sendMessage(SendMessageRequest.builder().queueUrl(url).messageBody(messageJson).build());
    }
}
