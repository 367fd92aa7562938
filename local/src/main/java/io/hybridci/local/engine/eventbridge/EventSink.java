package io.hybridci.local.engine.eventbridge;

/**
 * Where the local EventBridge delivers a matched event for one target function: the local cloud
 * registers one per function name and invokes the handler inside it.
 */
@FunctionalInterface
public interface EventSink {

    /**
     * Handles one delivery. Throwing means the delivery failed: it is retried, and after the last attempt
     * the event goes to the dead-letter list.
     *
     * @param eventJson the EventBridge envelope ({@code version}, {@code id}, {@code detail-type}, …), or the
     *                  target's constant {@code Input} when it has one
     */
    void deliver(String eventJson) throws Exception;
}
