package io.hybridci.local.engine.eventbridge;

import java.util.Map;

/**
 * Where the local EventBridge sends an event a target did not accept after every attempt: the SQS queue named by
 * the target's {@code DeadLetterConfig.Arn}, as EventBridge does. The local cloud injects one that sends through
 * its SQS client (ElasticMQ), so dead letters survive restarts like every message; tests may inject their own.
 */
@FunctionalInterface
public interface DeadLetterSender {

    /**
     * @param queueArn   the target's dead-letter queue
     * @param eventJson  the event as it was matched (the envelope)
     * @param attributes EventBridge's message attributes (RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE,
     *                   EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS), all strings
     * @throws Exception when the queue did not take it
     */
    void send(String queueArn, String eventJson, Map<String, String> attributes) throws Exception;
}
