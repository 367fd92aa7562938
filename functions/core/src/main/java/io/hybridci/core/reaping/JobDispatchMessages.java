package io.hybridci.core.reaping;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.job.Job;

import java.time.Instant;

/**
 * The {@code job-dispatch} message (events-schema) for a job: ids and routing only, no command or
 * environment, so a reader of the queue learns nothing and must win {@code accept} to get the job.
 */
public final class JobDispatchMessages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobDispatchMessages() {
    }

    /** The message body announcing {@code job}, dispatched at {@code at}. */
    public static String of(Job job, Instant at) {
        ObjectNode message = JSON.createObjectNode()
                .put("jobId", job.id())
                .put("buildId", job.buildId())
                .put("attempt", job.attempt())
                .put("queue", job.queue())
                .put("key", job.key())
                .put("label", job.label())
                .put("dispatchedAt", at.toString())
                .put("priority", job.priority());
        return message.toString();
    }
}
