package io.hybridci.core.port;

/** Sends a job-dispatch message to the agents' queue {@code jobs-<queue>}. */
public interface JobDispatcher {

    /** @param messageJson a job-dispatch message (events-schema) */
    void dispatch(String queue, String messageJson);
}
