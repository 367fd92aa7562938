package io.hybridci.agent;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "full jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * the n-th wait is uniform in [0, min(cap, base·2ⁿ)]. Jitter keeps a fleet of agents that lost the
 * control plane at the same moment from coming back in lockstep.
 */
public record Backoff(Duration base, Duration cap) {

    /** What the agent uses for the control plane and SQS: 200 ms doubling up to 30 s. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30));

    /** The wait before retry number {@code attempt} (0-based). */
    public Duration delay(int attempt) {
        long ceiling = cap.toMillis();
        if (attempt < 30) {
            ceiling = Math.min(ceiling, base.toMillis() << attempt);
        }
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }

    /** Sleeps for {@link #delay}. */
    public void sleep(int attempt) throws InterruptedException {
        Thread.sleep(delay(attempt));
    }
}
