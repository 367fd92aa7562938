package io.hybridci.core.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.core.job.JobState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The fields of a {@code Job State Changed} detail (events-schema {@code job-state-changed}) that per-job
 * commit statuses need.
 *
 * @param jobId   the job (one attempt)
 * @param buildId its build, whose repository and commit the status goes on
 * @param key     the step key: the status context is {@code <context>/<key>}, shared by every attempt
 * @param to      the state the job moved to
 */
public record JobStateChange(String jobId, String buildId, String key, JobState to) {

    public JobStateChange {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(buildId, "buildId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(to, "to");
    }

    /**
     * Reads a (schema-valid) detail.
     *
     * @throws IllegalArgumentException naming every missing field
     */
    public static JobStateChange fromJson(JsonNode detail) {
        List<String> missing = new ArrayList<>();
        String jobId = DetailFields.text(detail, "jobId", missing);
        String buildId = DetailFields.text(detail, "buildId", missing);
        String key = DetailFields.text(detail, "key", missing);
        String to = DetailFields.text(detail, "to", missing);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("Job State Changed detail is missing " + String.join(", ", missing));
        }
        return new JobStateChange(jobId, buildId, key, JobState.valueOf(to));
    }
}
