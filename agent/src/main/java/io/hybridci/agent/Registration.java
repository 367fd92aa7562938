package io.hybridci.agent;

import io.hybridci.core.security.Secret;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code POST /agent/v1/register} returned: who the agent is, its session, and where its queues are.
 *
 * @param queueUrls agent queue name → SQS URL of {@code jobs-<queue>}
 * @param sqsEndpoint the SQS endpoint to use instead of AWS's, set only in local mode
 * @param priorityQueueUrls the high-priority queues ({@code jobs-<queue>-high}) of the agent's queues, in the order
 *                          of its queues; empty when the control plane predates them
 */
public record Registration(Session session, Map<String, String> queueUrls, String agentUpdatesQueueUrl,
                           String region, String sqsEndpoint, int pingIntervalSeconds, int jobPollWaitSeconds,
                           List<String> priorityQueueUrls) {

    public Registration {
        Objects.requireNonNull(session, "session");
        // In the agent's order of queues (Map.copyOf would not keep it): the order they are polled in.
        queueUrls = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(queueUrls));
        priorityQueueUrls = List.copyOf(priorityQueueUrls);
        Objects.requireNonNull(agentUpdatesQueueUrl, "agentUpdatesQueueUrl");
        Objects.requireNonNull(region, "region");
    }

    /** Every queue URL, the order the agent takes jobs in: all high-priority queues first, then the others. */
    public List<String> pollOrder() {
        List<String> order = new ArrayList<>(priorityQueueUrls);
        order.addAll(queueUrls.values());
        return List.copyOf(order);
    }
}
