package io.hybridci.core.reaping;

import io.hybridci.core.agent.AgentLiveness;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;

/**
 * The reaper's time limits (docs/functions.md).
 *
 * @param agentSilence how long a live agent may go without a ping before it is LOST
 * @param timingOutGrace how long a TIMING_OUT job waits for its agent's confirmation before the
 *                       reaper ends it TIMED_OUT itself (the agent is presumed unable to answer)
 * @param stuckDispatch how long a QUEUED job may wait without {@code dispatchedAt} before the
 *                      reaper sends it again (the state-reactor normally does it within seconds)
 * @param queueLimit how long a job may stay QUEUED before it EXPIRES
 */
public record ReaperSettings(Duration agentSilence, Duration timingOutGrace, Duration stuckDispatch,
                             Duration queueLimit) {

    /** Optional environment variable overriding {@link #queueLimit}, an ISO-8601 duration such as {@code PT24H}. */
    public static final String QUEUE_LIMIT_ENV = "REAPER_QUEUE_LIMIT";

    /** 3 min silence (several missed pings), 2 min grace, 1 min stuck dispatch, 24 h in a queue. */
    public static final ReaperSettings DEFAULTS = new ReaperSettings(AgentLiveness.DEFAULT_THRESHOLD,
            Duration.ofMinutes(2), Duration.ofMinutes(1), Duration.ofHours(24));

    public ReaperSettings {
        requirePositive(agentSilence, "agentSilence");
        requirePositive(timingOutGrace, "timingOutGrace");
        requirePositive(stuckDispatch, "stuckDispatch");
        requirePositive(queueLimit, "queueLimit");
    }

    /** The defaults, with {@link #QUEUE_LIMIT_ENV} applied when set; fails fast on an unreadable value. */
    public static ReaperSettings fromEnv(Map<String, String> environment) {
        String queueLimit = environment.get(QUEUE_LIMIT_ENV);
        if (queueLimit == null || queueLimit.isBlank()) {
            return DEFAULTS;
        }
        try {
            return DEFAULTS.withQueueLimit(Duration.parse(queueLimit.strip()));
        } catch (DateTimeParseException | IllegalArgumentException unreadable) {
            throw new IllegalArgumentException(QUEUE_LIMIT_ENV + " must be a positive ISO-8601 duration such as PT24H, was '"
                    + queueLimit + "'", unreadable);
        }
    }

    public ReaperSettings withQueueLimit(Duration limit) {
        return new ReaperSettings(agentSilence, timingOutGrace, stuckDispatch, limit);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
