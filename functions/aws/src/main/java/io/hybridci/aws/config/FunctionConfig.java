package io.hybridci.aws.config;

import static io.hybridci.topology.EnvironmentNames.ADMIN_TOKEN_SECRET_ID;
import static io.hybridci.topology.EnvironmentNames.AGENT_UPDATES_QUEUE_URL;
import static io.hybridci.topology.EnvironmentNames.AUDIT_TABLE;
import static io.hybridci.topology.EnvironmentNames.AWS_ENDPOINT_URL;
import static io.hybridci.topology.EnvironmentNames.AWS_REGION;
import static io.hybridci.topology.EnvironmentNames.EVENT_BUS_NAME;
import static io.hybridci.topology.EnvironmentNames.HYBRIDCI_FUNCTION;
import static io.hybridci.topology.EnvironmentNames.JOB_QUEUE_URLS;
import static io.hybridci.topology.EnvironmentNames.LOGS_TABLE;
import static io.hybridci.topology.EnvironmentNames.PRIORITY_JOB_QUEUE_URLS;
import static io.hybridci.topology.EnvironmentNames.REGISTRATION_TOKEN_SECRET_ID;
import static io.hybridci.topology.EnvironmentNames.SIGNING_KEY_ID;
import static io.hybridci.topology.EnvironmentNames.STATE_TABLE;
import static io.hybridci.topology.EnvironmentNames.WEBHOOK_SECRET_ID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.topology.EnvironmentNames;
import io.hybridci.topology.Topology;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A function's configuration, read once from its environment. {@link #fromEnv} fails fast naming
 * the first missing variable: AWS_REGION and HYBRIDCI_FUNCTION always, and every variable the
 * function's topology entry requires ({@link EnvironmentNames#requiredBy}), so a function never
 * starts half-configured. Resources a function does not use are empty.
 *
 * @param signingKeyId the KMS key under which agents' signing keys are stored (api, job-updater)
 * @param priorityJobQueueUrls agent queue → URL of its high-priority {@code jobs-<queue>-high} queue
 */
public record FunctionConfig(String region, Optional<URI> endpoint, String functionName,
                             Optional<String> stateTable, Optional<String> auditTable, Optional<String> logsTable,
                             Optional<String> eventBusName, Optional<String> agentUpdatesQueueUrl,
                             Map<String, String> jobQueueUrls, Optional<String> webhookSecretId,
                             Optional<String> registrationTokenSecretId, Optional<String> adminTokenSecretId,
                             Optional<String> signingKeyId, Map<String, String> priorityJobQueueUrls) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public FunctionConfig {
        jobQueueUrls = Map.copyOf(jobQueueUrls);
        priorityJobQueueUrls = Map.copyOf(priorityJobQueueUrls);
    }

    /** {@code system:<function>}, the {@code lastActor} of writes the function makes on its own account. */
    public String systemActor() {
        return "system:" + functionName;
    }

    public static FunctionConfig fromEnv(Map<String, String> env) {
        String region = required(env, AWS_REGION);
        String function = required(env, HYBRIDCI_FUNCTION);
        Topology topology = Topology.standard();
        topology.findFunction(function).ifPresent(spec -> {
            for (String name : EnvironmentNames.requiredBy(spec, topology)) {
                required(env, name);
            }
        });
        return new FunctionConfig(region, optional(env, AWS_ENDPOINT_URL).map(URI::create), function,
                optional(env, STATE_TABLE), optional(env, AUDIT_TABLE), optional(env, LOGS_TABLE),
                optional(env, EVENT_BUS_NAME), optional(env, AGENT_UPDATES_QUEUE_URL),
                optional(env, JOB_QUEUE_URLS).map(json -> queueUrls(JOB_QUEUE_URLS, json)).orElse(Map.of()),
                optional(env, WEBHOOK_SECRET_ID), optional(env, REGISTRATION_TOKEN_SECRET_ID),
                optional(env, ADMIN_TOKEN_SECRET_ID), optional(env, SIGNING_KEY_ID),
                optional(env, PRIORITY_JOB_QUEUE_URLS).map(json -> queueUrls(PRIORITY_JOB_QUEUE_URLS, json)).orElse(Map.of()));
    }

    /** The resource named by {@code variable}, or an exception naming the variable. */
    public static String require(Optional<String> value, String variable) {
        return value.orElseThrow(() -> new IllegalStateException("missing environment variable " + variable));
    }

    private static String required(Map<String, String> env, String name) {
        return optional(env, name).orElseThrow(() -> new IllegalStateException("missing environment variable " + name));
    }

    private static Optional<String> optional(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static Map<String, String> queueUrls(String variable, String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw new IllegalStateException(variable + " must be a JSON object of queue name to URL");
            }
            Map<String, String> urls = new LinkedHashMap<>();
            for (var field : node.properties()) {
                if (!field.getValue().isTextual()) {
                    throw new IllegalStateException(variable + ": the URL of queue '" + field.getKey() + "' is not a string");
                }
                urls.put(field.getKey(), field.getValue().asText());
            }
            return urls;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(variable + " is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
