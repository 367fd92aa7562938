package io.hybridci.aws.github;

import java.time.Duration;

/** Waiting, made replaceable so tests of back-off and rate limits run instantly and can see the waits. */
@FunctionalInterface
public interface Pause {

    void sleep(Duration duration);

    /** Really sleeps; an interrupt is kept on the thread and ends the wait. */
    static Pause threadSleep() {
        return duration -> {
            try {
                Thread.sleep(duration);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
