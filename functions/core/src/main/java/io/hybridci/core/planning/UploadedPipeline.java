package io.hybridci.core.planning;

import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.core.pipeline.Pipeline;
import io.hybridci.core.pipeline.PipelineJson;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The detail of {@code Pipeline Uploaded} (events-schema {@code pipeline-uploaded}): the parsed
 * pipeline a build's bootstrap job uploaded.
 *
 * @param buildId the build to plan
 * @param bootstrapJobId the bootstrap job that uploaded it
 * @param agentId the agent that ran the bootstrap job
 * @param uploadId the upload's idempotency key
 * @param uploadedAt when the api accepted it
 * @param pipeline the steps in {@link PipelineJson} form, and the pipeline-wide env when the detail carries one
 */
public record UploadedPipeline(String buildId, String bootstrapJobId, String agentId, String uploadId,
                               Instant uploadedAt, Pipeline pipeline) {

    public UploadedPipeline {
        Objects.requireNonNull(buildId, "buildId");
        Objects.requireNonNull(bootstrapJobId, "bootstrapJobId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.requireNonNull(uploadedAt, "uploadedAt");
        Objects.requireNonNull(pipeline, "pipeline");
    }

    /**
     * Reads a {@code pipeline-uploaded} detail. Its {@code pipeline} is {@link PipelineJson#stepsToJson}'s
     * array; an optional {@code env} object is the pipeline-wide environment (v1 of the schema has no
     * room for it, so until a later version adds it the api merges it into each step's env).
     *
     * @throws IllegalArgumentException naming what is missing or malformed: the detail comes from our
     *     own api, so this is a bug to surface (the event goes to the DLQ), not input to explain
     */
    public static UploadedPipeline fromJson(JsonNode detail) {
        if (detail == null || !detail.isObject()) {
            throw new IllegalArgumentException("a Pipeline Uploaded detail must be a JSON object");
        }
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode envJson = detail.get("env");
        if (envJson != null && envJson.isObject()) {
            envJson.properties().forEach(entry -> env.put(entry.getKey(), entry.getValue().asText()));
        }
        return new UploadedPipeline(text(detail, "buildId"), text(detail, "jobId"), text(detail, "agentId"),
                text(detail, "uploadId"), instant(detail, "uploadedAt"),
                new Pipeline(PipelineJson.stepsFromJson(required(detail, "pipeline")), env));
    }

    private static JsonNode required(JsonNode detail, String field) {
        JsonNode value = detail.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("Pipeline Uploaded detail has no \"" + field + "\"");
        }
        return value;
    }

    private static String text(JsonNode detail, String field) {
        JsonNode value = required(detail, field);
        if (!value.isTextual() || value.textValue().isEmpty()) {
            throw new IllegalArgumentException("Pipeline Uploaded detail field \"" + field + "\" must be a non-empty string");
        }
        return value.textValue();
    }

    private static Instant instant(JsonNode detail, String field) {
        String value = text(detail, field);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Pipeline Uploaded detail field \"" + field + "\" is not an ISO-8601 instant");
        }
    }
}
