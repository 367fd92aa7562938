package io.hybridci.core.port;

import io.hybridci.core.job.PriorityBand;

/** Sends a job-dispatch message to the agents' queue {@code jobs-<queue>} (or its high-priority twin). */
public interface JobDispatcher {

    /** @param messageJson a job-dispatch message (events-schema), to the queue's NORMAL band */
    void dispatch(String queue, String messageJson);

    /**
     * Sends to the SQS queue of {@code band}. Adapters with one queue per agent queue (test fakes) ignore the
     * band; the SQS adapter sends HIGH to {@code jobs-<queue>-high}.
     */
    default void dispatch(String queue, PriorityBand band, String messageJson) {
        dispatch(queue, messageJson);
    }
}
