package io.hybridci.local;

import io.hybridci.local.engine.eventbridge.DeadLetterSender;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The local bus's {@link DeadLetterSender}: a SendMessage to the queue the target's DeadLetterConfig names, through
 * the cloud's SQS client (ElasticMQ, persistent), body = the event, EventBridge's attributes as String attributes.
 */
final class SqsDeadLetterSender implements DeadLetterSender {

    private final SqsClient sqs;
    private final Map<String, String> queueUrlsByArn;

    SqsDeadLetterSender(SqsClient sqs, Map<String, String> queueUrlsByArn) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrlsByArn = Map.copyOf(queueUrlsByArn);
    }

    @Override
    public void send(String queueArn, String eventJson, Map<String, String> attributes) {
        String url = queueUrlsByArn.get(queueArn);
        if (url == null) {
            throw new IllegalArgumentException("no local queue with ARN " + queueArn + "; known: " + queueUrlsByArn.keySet());
        }
        Map<String, MessageAttributeValue> values = new LinkedHashMap<>();
        attributes.forEach((name, value) -> values.put(name,
                MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody(eventJson).messageAttributes(values));
    }
}
