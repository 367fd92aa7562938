package io.hybridci.agent;

import io.hybridci.core.security.Secret;

import java.util.Map;
import java.util.Objects;

/**
 * What {@code POST /agent/v1/register} returned: who the agent is, its session, and where its queues are.
 *
 * @param queueUrls agent queue name → SQS URL of {@code jobs-<queue>}
 * @param sqsEndpoint the SQS endpoint to use instead of AWS's, set only in local mode
 */
public record Registration(Session session, Map<String, String> queueUrls, String agentUpdatesQueueUrl,
                           String region, String sqsEndpoint, int pingIntervalSeconds, int jobPollWaitSeconds) {

    public Registration {
        Objects.requireNonNull(session, "session");
        queueUrls = Map.copyOf(queueUrls);
        Objects.requireNonNull(agentUpdatesQueueUrl, "agentUpdatesQueueUrl");
        Objects.requireNonNull(region, "region");
    }
}
