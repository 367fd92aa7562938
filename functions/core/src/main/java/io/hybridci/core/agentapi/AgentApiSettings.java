package io.hybridci.core.agentapi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the agent routes tell agents about the control plane, and how long their sessions last.
 *
 * @param sessionLifetime how long a session token is valid; agents renew at {@link #RENEW_AT} of it
 * @param pingIntervalSeconds how often an agent pings; the reaper calls it lost after 3 minutes of silence
 * @param jobPollWaitSeconds the SQS long-poll wait agents use on their job queues
 * @param jobQueueUrls agent queue name → URL of its {@code jobs-<queue>} SQS queue; also the set of known queues
 * @param agentUpdatesQueueUrl URL of the FIFO {@code agent-updates} queue
 * @param region the AWS region of the queues
 * @param sqsEndpoint the SQS endpoint agents must use, only in local mode ({@code null} in AWS)
 * @param priorityJobQueueUrls agent queue name → URL of its high-priority {@code jobs-<queue>-high} queue
 */
public record AgentApiSettings(Duration sessionLifetime, int pingIntervalSeconds, int jobPollWaitSeconds,
                               Map<String, String> jobQueueUrls, String agentUpdatesQueueUrl, String region,
                               String sqsEndpoint, Map<String, String> priorityJobQueueUrls) {

    /** DESIGN section 8: sessions last a day unless configured otherwise. */
    public static final Duration DEFAULT_SESSION_LIFETIME = Duration.ofHours(24);
    /** Agents renew their session once this fraction of its lifetime has passed (DESIGN section 8). */
    public static final double RENEW_AT = 0.75;
    public static final int DEFAULT_PING_INTERVAL_SECONDS = 10;
    /** SQS's maximum long-poll wait: fewest empty receives. */
    public static final int DEFAULT_JOB_POLL_WAIT_SECONDS = 20;

    public AgentApiSettings {
        Objects.requireNonNull(sessionLifetime, "sessionLifetime");
        Objects.requireNonNull(agentUpdatesQueueUrl, "agentUpdatesQueueUrl");
        Objects.requireNonNull(region, "region");
        jobQueueUrls = Map.copyOf(Objects.requireNonNull(jobQueueUrls, "jobQueueUrls"));
        priorityJobQueueUrls = Map.copyOf(Objects.requireNonNull(priorityJobQueueUrls, "priorityJobQueueUrls"));
        if (sessionLifetime.isNegative() || sessionLifetime.isZero()) {
            throw new IllegalArgumentException("sessionLifetime must be positive, was " + sessionLifetime);
        }
        if (pingIntervalSeconds < 1 || jobPollWaitSeconds < 0 || jobPollWaitSeconds > 20) {
            throw new IllegalArgumentException("pingIntervalSeconds must be ≥ 1 and jobPollWaitSeconds 0..20");
        }
    }

    /** Settings without high-priority queues: every job of an agent queue comes from its one queue. */
    public AgentApiSettings(Duration sessionLifetime, int pingIntervalSeconds, int jobPollWaitSeconds,
                            Map<String, String> jobQueueUrls, String agentUpdatesQueueUrl, String region,
                            String sqsEndpoint) {
        this(sessionLifetime, pingIntervalSeconds, jobPollWaitSeconds, jobQueueUrls, agentUpdatesQueueUrl, region,
                sqsEndpoint, Map.of());
    }

    /** The defaults of every interval, with these queues. */
    public static AgentApiSettings withDefaults(Map<String, String> jobQueueUrls, String agentUpdatesQueueUrl,
                                                String region, String sqsEndpoint) {
        return withDefaults(jobQueueUrls, Map.of(), agentUpdatesQueueUrl, region, sqsEndpoint);
    }

    /** The defaults of every interval, with these queues and their high-priority twins. */
    public static AgentApiSettings withDefaults(Map<String, String> jobQueueUrls, Map<String, String> priorityJobQueueUrls,
                                                String agentUpdatesQueueUrl, String region, String sqsEndpoint) {
        return new AgentApiSettings(DEFAULT_SESSION_LIFETIME, DEFAULT_PING_INTERVAL_SECONDS,
                DEFAULT_JOB_POLL_WAIT_SECONDS, jobQueueUrls, agentUpdatesQueueUrl, region, sqsEndpoint,
                priorityJobQueueUrls);
    }

    /**
     * The SQS queues of agent queue {@code queue}, the one an agent must take from first: its high-priority
     * queue (when there is one), then {@code jobs-<queue>}. Empty for an unknown queue.
     */
    public List<String> queueUrlsInPriorityOrder(String queue) {
        List<String> urls = new ArrayList<>(2);
        if (jobQueueUrls.containsKey(queue)) {
            String high = priorityJobQueueUrls.get(queue);
            if (high != null) {
                urls.add(high);
            }
            urls.add(jobQueueUrls.get(queue));
        }
        return List.copyOf(urls);
    }
}
