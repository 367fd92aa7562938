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
        Map<String, String> jobQueueUrls = jobQueueUrls(EnvironmentNames.JOB_QUEUE_URLS,
                required(env, EnvironmentNames.JOB_QUEUE_URLS));
        // Optional, so an api of this version still starts beside a stack that predates the priority queues.
        String priorityJson = env.get(EnvironmentNames.PRIORITY_JOB_QUEUE_URLS);
        Map<String, String> priorityJobQueueUrls = priorityJson == null || priorityJson.isBlank() ? Map.of()
                : jobQueueUrls(EnvironmentNames.PRIORITY_JOB_QUEUE_URLS, priorityJson);
        String agentUpdates = required(env, EnvironmentNames.AGENT_UPDATES_QUEUE_URL);
        String region = required(env, EnvironmentNames.AWS_REGION);
        // Present only in local mode; agents then need it to reach the local SQS engine.
        String endpoint = env.get(EnvironmentNames.AWS_ENDPOINT_URL);
        return new ApiConfig(AgentApiSettings.withDefaults(jobQueueUrls, priorityJobQueueUrls, agentUpdates, region,
                endpoint == null || endpoint.isBlank() ? null : endpoint));
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }

    private static Map<String, String> jobQueueUrls(String variable, String json) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException malformed) {
            throw new IllegalStateException(variable + " is not JSON: " + malformed.getOriginalMessage());
        }
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw new IllegalStateException(variable + " must be a non-empty JSON object of queue → URL");
        }
        Map<String, String> urls = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new IllegalStateException(variable + ": the URL of " + entry.getKey()
                        + " must be a string");
            }
            urls.put(entry.getKey(), entry.getValue().textValue());
        }
        return urls;
    }
}
