package io.hybridci.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.core.agentapi.AgentApiSettings;
import io.hybridci.topology.EnvironmentNames;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the api function reads from its environment besides its adapters' resources, read once per
 * container and failing fast with the name of a missing or malformed variable.
 */
public record ApiConfig(AgentApiSettings agentSettings) {

    public ApiConfig {
        Objects.requireNonNull(agentSettings, "agentSettings");
    }

    /** From variables named by {@link EnvironmentNames}, as the CDK app and the local cloud set them. */
    public static ApiConfig fromEnv(Map<String, String> env) {
        Map<String, String> jobQueueUrls = jobQueueUrls(required(env, EnvironmentNames.JOB_QUEUE_URLS));
        String agentUpdates = required(env, EnvironmentNames.AGENT_UPDATES_QUEUE_URL);
        String region = required(env, EnvironmentNames.AWS_REGION);
        // Present only in local mode; agents then need it to reach the local SQS engine.
        String endpoint = env.get(EnvironmentNames.AWS_ENDPOINT_URL);
        return new ApiConfig(AgentApiSettings.withDefaults(jobQueueUrls, agentUpdates, region,
                endpoint == null || endpoint.isBlank() ? null : endpoint));
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }

    private static Map<String, String> jobQueueUrls(String json) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException malformed) {
            throw new IllegalStateException(EnvironmentNames.JOB_QUEUE_URLS + " is not JSON: " + malformed.getOriginalMessage());
        }
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw new IllegalStateException(EnvironmentNames.JOB_QUEUE_URLS + " must be a non-empty JSON object of queue → URL");
        }
        Map<String, String> urls = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new IllegalStateException(EnvironmentNames.JOB_QUEUE_URLS + ": the URL of " + entry.getKey()
                        + " must be a string");
            }
            urls.put(entry.getKey(), entry.getValue().textValue());
        }
        return urls;
    }
}
