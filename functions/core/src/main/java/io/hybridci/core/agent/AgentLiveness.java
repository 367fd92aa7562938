package io.hybridci.core.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The reaper's test for a lost agent. Agents ping every few seconds; three minutes of silence
 * covers several missed pings and a Lambda cold start on our side without failing jobs over a
 * network blip (Buildkite uses a comparable heartbeat window).
 */
public final class AgentLiveness {

    /** How long an agent may stay silent before it is lost. */
    public static final Duration DEFAULT_THRESHOLD = Duration.ofMinutes(3);

    private AgentLiveness() {
    }

    /** {@link #isLost(Agent, Instant, Duration)} with {@link #DEFAULT_THRESHOLD}. */
    public static boolean isLost(Agent agent, Instant now) {
        return isLost(agent, now, DEFAULT_THRESHOLD);
    }

    /**
     * Whether {@code agent} should be marked LOST: it is expected to ping and its last ping is
     * more than {@code threshold} before {@code now}. Already LOST or DISCONNECTED agents are not.
     */
    public static boolean isLost(Agent agent, Instant now, Duration threshold) {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(threshold, "threshold");
        return agent.state().isHeartbeating() && now.isAfter(agent.lastSeenAt().plus(threshold));
    }
}
