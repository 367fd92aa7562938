package io.hybridci.agent;

import java.util.function.Supplier;

/**
 * Delivers agent messages to the {@code agent-updates} queue. {@link #send} returns only once the
 * queue accepted the message: a lost {@code finished} would leave a job RUNNING until the reaper
 * times it out, so the sender retries (with backoff) rather than drops.
 */
public interface UpdatesSender {

    /**
     * Sends the message, retrying until it is accepted or the thread is interrupted.
     *
     * @param message builds the signed message; called again on each retry so its timestamp stays fresh
     */
    void send(Supplier<SignedMessage> message) throws InterruptedException;
}
