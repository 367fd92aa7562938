package io.hybridci.core.agentapi;

import io.hybridci.core.agent.Agent;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The outcome of {@link AgentApi#register}. */
public sealed interface Registration {

    /**
     * The agent exists now and holds a session.
     *
     * @param queueUrls each of its queues → the URL of {@code jobs-<queue>}, in the order it asked
     */
    record Registered(Agent agent, IssuedSession session, Map<String, String> queueUrls) implements Registration {
        public Registered {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(session, "session");
            queueUrls = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(queueUrls));
        }
    }

    /** The registration token is missing, unknown, expired or revoked. */
    record Unauthorized() implements Registration {}

    /** The agent asked for queues that do not exist. */
    record UnknownQueues(List<String> queues) implements Registration {
        public UnknownQueues {
            queues = List.copyOf(queues);
        }
    }

    /** The queues exist, but this registration token may not serve them. */
    record QueuesNotAllowed(List<String> queues) implements Registration {
        public QueuesNotAllowed {
            queues = List.copyOf(queues);
        }
    }
}
