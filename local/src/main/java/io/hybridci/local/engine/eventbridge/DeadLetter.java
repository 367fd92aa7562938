package io.hybridci.local.engine.eventbridge;

import java.time.Instant;

/**
 * An event that could not be delivered to a target after every attempt (in AWS it would go to the
 * target's dead-letter queue).
 *
 * @param ruleName  the rule that matched
 * @param targetArn the target it was meant for
 * @param eventJson what would have been delivered
 * @param attempts  how many deliveries were tried
 * @param lastError the last failure's message
 * @param failedAt  when the last attempt failed
 */
public record DeadLetter(String ruleName, String targetArn, String eventJson, int attempts, String lastError,
        Instant failedAt) {
}
