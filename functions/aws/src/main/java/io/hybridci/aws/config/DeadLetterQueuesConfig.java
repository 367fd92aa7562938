package io.hybridci.aws.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.core.deadletter.DeadLetterQueue;
import io.hybridci.topology.EnvironmentNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link EnvironmentNames#DEAD_LETTER_QUEUES}, read once: {@code {"<queue>": {"url": …, "kind": …,
 * "deadLetterOf": …}}} as the CDK app and the local cloud write it. Malformed → fails naming the variable.
 *
 * @param queues    the queues in the variable's order
 * @param queueUrls queue → URL
 */
public record DeadLetterQueuesConfig(List<DeadLetterQueue> queues, Map<String, String> queueUrls) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public DeadLetterQueuesConfig {
        queues = List.copyOf(queues);
        queueUrls = Map.copyOf(queueUrls);
    }

    /** Empty when the variable is absent (a function without QueuePeekAccess). */
    public static Optional<DeadLetterQueuesConfig> fromEnv(Map<String, String> env) {
        String json = env.get(EnvironmentNames.DEAD_LETTER_QUEUES);
        return json == null || json.isBlank() ? Optional.empty() : Optional.of(parse(json));
    }

    static DeadLetterQueuesConfig parse(String json) {
        String variable = EnvironmentNames.DEAD_LETTER_QUEUES;
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException malformed) {
            throw new IllegalStateException(variable + " is not JSON: " + malformed.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalStateException(variable + " must be a JSON object of queue → {url, kind, deadLetterOf}");
        }
        List<DeadLetterQueue> queues = new ArrayList<>();
        Map<String, String> urls = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            JsonNode value = entry.getValue();
            for (String field : List.of("url", "kind", "deadLetterOf")) {
                if (!value.path(field).isTextual()) {
                    throw new IllegalStateException(variable + ": queue " + entry.getKey() + " lacks the string " + field);
                }
            }
            queues.add(new DeadLetterQueue(entry.getKey(), value.get("kind").textValue(), value.get("deadLetterOf").textValue()));
            urls.put(entry.getKey(), value.get("url").textValue());
        }
        return new DeadLetterQueuesConfig(queues, urls);
    }
}
