package io.hybridci.local.runtime;

import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.Objects;

/**
 * Where a stream mapping sends the metadata of records it gives up on (the mapping's
 * {@code DestinationConfig.OnFailure}). Sending must either succeed or throw: the mapping does not
 * move past the records until the destination has them.
 */
@FunctionalInterface
public interface OnFailureDestination {

    /** Delivers one invocation record (JSON, the shape Lambda sends). */
    void send(String invocationRecordJson);

    /** An SQS queue destination, as in AWS ({@code SendMessage} with the record as the body). */
    static OnFailureDestination sqsQueue(SqsClient sqs, String queueUrl) {
        Objects.requireNonNull(sqs, "sqs");
        Objects.requireNonNull(queueUrl, "queueUrl");
        return json -> sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(json));
    }
}
