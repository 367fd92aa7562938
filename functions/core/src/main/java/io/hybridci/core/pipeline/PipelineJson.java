package io.hybridci.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.job.RetryPolicy.AutomaticRetry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The JSON form of a parsed pipeline, as it travels in the {@code Pipeline Uploaded} event
 * and is stored with the build: {@code {"env": {...}, "steps": [...]}}, each step an object with
 * {@code type} ({@code command} | {@code block} | {@code deploy}), {@code key}, {@code label}
 * and its fields under their pipeline.yml names.
 *
 * <p>Unlike the YAML, the JSON is fully explicit: defaults are written out (queue, retry rules,
 * concurrency), so a consumer never re-implements them. {@code retry.automatic[].exit_status}
 * is a number or {@code "*"}; absent optional values are left out, never {@code null}.
 * The mapping is hand-written, not reflective: the field names are a contract with the
 * event schema, and must not change when a record component is renamed.
 */
public final class PipelineJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private PipelineJson() {
    }

    /** {@code {"env": {...}, "steps": [...]}}. */
    public static ObjectNode toJson(Pipeline pipeline) {
        ObjectNode json = JSON.objectNode();
        json.set("env", envJson(pipeline.env()));
        json.set("steps", stepsToJson(pipeline.steps()));
        return json;
    }

    /**
     * Reads what {@link #toJson(Pipeline)} wrote.
     *
     * @throws IllegalArgumentException if the JSON is not in that form: it comes from our own
     *     planner, so a malformed one is a bug to surface, not user input to explain
     */
    public static Pipeline fromJson(JsonNode json) {
        return new Pipeline(stepsFromJson(required(json, "steps")), envFromJson(json.get("env")));
    }

    /** The steps alone, as a JSON array. */
    public static ArrayNode stepsToJson(List<Step> steps) {
        ArrayNode array = JSON.arrayNode();
        steps.forEach(step -> array.add(stepToJson(step)));
        return array;
    }

    /** Reads the array {@link #stepsToJson(List)} wrote. */
    public static List<Step> stepsFromJson(JsonNode array) {
        if (!array.isArray()) {
            throw new IllegalArgumentException("steps must be a JSON array");
        }
        List<Step> steps = new ArrayList<>();
        array.forEach(node -> steps.add(stepFromJson(node)));
        return steps;
    }

    // ------------------------------------------------------------------- writing

    private static ObjectNode stepToJson(Step step) {
        ObjectNode json = JSON.objectNode();
        switch (step) {
            case CommandStep command -> {
                json.put("type", "command");
                json.put("key", command.key());
                json.put("label", command.label());
                json.put("command", command.command());
                json.putObject("agents").put("queue", command.queue());
                json.set("depends_on", stringArray(command.dependsOn()));
                command.timeoutInMinutes().ifPresent(minutes -> json.put("timeout_in_minutes", minutes));
                json.set("retry", retryJson(command.retry()));
                json.set("env", envJson(command.env()));
                command.concurrency().ifPresent(limit -> putConcurrency(json, limit));
                json.put("priority", command.priority());
                command.condition().ifPresent(condition -> json.put("if", condition));
            }
            case BlockStep block -> {
                json.put("type", "block");
                json.put("key", block.key());
                json.put("label", block.label());
                block.prompt().ifPresent(prompt -> json.put("prompt", prompt));
                ArrayNode fields = json.putArray("fields");
                for (BlockStep.Field field : block.fields()) {
                    ObjectNode fieldJson = fields.addObject();
                    fieldJson.put("key", field.key());
                    fieldJson.put("text", field.text());
                    fieldJson.put("required", field.required());
                    field.defaultValue().ifPresent(value -> fieldJson.put("default", value));
                    fieldJson.set("options", stringArray(field.options()));
                }
                json.set("depends_on", stringArray(block.dependsOn()));
                json.set("allowed_roles", stringArray(block.allowedRoles()));
                block.condition().ifPresent(condition -> json.put("if", condition));
            }
            case DeployStep deploy -> {
                json.put("type", "deploy");
                json.put("key", deploy.key());
                json.put("label", deploy.label());
                json.put("command", deploy.command());
                ObjectNode deployment = json.putObject("deploy");
                deployment.put("environment", deploy.deploy().environment());
                deployment.put("strategy", deploy.deploy().strategy().yamlName());
                deploy.deploy().healthCheck().ifPresent(command -> deployment.put("health_check", command));
                deploy.deploy().switchCommand().ifPresent(command -> deployment.put("switch", command));
                deploy.deploy().rollbackCommand().ifPresent(command -> deployment.put("rollback", command));
                json.putObject("agents").put("queue", deploy.queue());
                json.set("depends_on", stringArray(deploy.dependsOn()));
                deploy.timeoutInMinutes().ifPresent(minutes -> json.put("timeout_in_minutes", minutes));
                json.set("env", envJson(deploy.env()));
                putConcurrency(json, deploy.concurrency());
                deploy.condition().ifPresent(condition -> json.put("if", condition));
            }
        }
        return json;
    }

    private static void putConcurrency(ObjectNode json, ConcurrencyLimit limit) {
        json.put("concurrency_group", limit.group());
        json.put("concurrency", limit.limit());
    }

    private static ObjectNode retryJson(RetryPolicy retry) {
        ObjectNode json = JSON.objectNode();
        ArrayNode automatic = json.putArray("automatic");
        for (AutomaticRetry rule : retry.automatic()) {
            ObjectNode ruleJson = automatic.addObject();
            rule.exitStatus().ifPresentOrElse(status -> ruleJson.put("exit_status", status),
                    () -> ruleJson.put("exit_status", "*"));
            ruleJson.put("limit", rule.limit());
        }
        json.putObject("manual").put("allowed", retry.manualAllowed());
        return json;
    }

    private static ObjectNode envJson(Map<String, String> env) {
        ObjectNode json = JSON.objectNode();
        env.forEach(json::put);
        return json;
    }

    private static ArrayNode stringArray(List<String> values) {
        ArrayNode array = JSON.arrayNode();
        values.forEach(array::add);
        return array;
    }

    // ------------------------------------------------------------------- reading

    private static Step stepFromJson(JsonNode json) {
        String type = text(json, "type");
        return switch (type) {
            case "command" -> new CommandStep(
                    text(json, "key"),
                    text(json, "label"),
                    text(json, "command"),
                    text(required(json, "agents"), "queue"),
                    strings(json.get("depends_on")),
                    optionalInt(json, "timeout_in_minutes"),
                    retryFromJson(required(json, "retry")),
                    envFromJson(json.get("env")),
                    json.has("concurrency_group") ? Optional.of(concurrencyFromJson(json)) : Optional.empty(),
                    json.path("priority").asInt(0),
                    optionalText(json, "if"));
            case "block" -> new BlockStep(
                    text(json, "key"),
                    text(json, "label"),
                    optionalText(json, "prompt"),
                    fieldsFromJson(json.get("fields")),
                    strings(json.get("depends_on")),
                    strings(json.get("allowed_roles")),
                    optionalText(json, "if"));
            case "deploy" -> new DeployStep(
                    text(json, "key"),
                    text(json, "label"),
                    text(json, "command"),
                    deploymentFromJson(required(json, "deploy")),
                    text(required(json, "agents"), "queue"),
                    strings(json.get("depends_on")),
                    optionalInt(json, "timeout_in_minutes"),
                    envFromJson(json.get("env")),
                    concurrencyFromJson(json),
                    optionalText(json, "if"));
            default -> throw new IllegalArgumentException("unknown step type \"" + type + "\"");
        };
    }

    private static DeployStep.Deployment deploymentFromJson(JsonNode json) {
        String strategyName = text(json, "strategy");
        DeployStep.Strategy strategy = DeployStep.Strategy.fromYamlName(strategyName)
                .orElseThrow(() -> new IllegalArgumentException("unknown deploy strategy \"" + strategyName + "\""));
        return new DeployStep.Deployment(text(json, "environment"), strategy,
                optionalText(json, "health_check"), optionalText(json, "switch"), optionalText(json, "rollback"));
    }

    private static ConcurrencyLimit concurrencyFromJson(JsonNode json) {
        return new ConcurrencyLimit(text(json, "concurrency_group"), required(json, "concurrency").asInt());
    }

    private static RetryPolicy retryFromJson(JsonNode json) {
        List<AutomaticRetry> rules = new ArrayList<>();
        for (JsonNode rule : required(json, "automatic")) {
            JsonNode status = required(rule, "exit_status");
            Optional<Integer> exitStatus = status.isInt() ? Optional.of(status.intValue()) : Optional.empty();
            if (exitStatus.isEmpty() && !"*".equals(status.asText())) {
                throw new IllegalArgumentException("exit_status must be a number or \"*\", was " + status);
            }
            rules.add(new AutomaticRetry(exitStatus, required(rule, "limit").asInt()));
        }
        return new RetryPolicy(rules, required(required(json, "manual"), "allowed").asBoolean());
    }

    private static List<BlockStep.Field> fieldsFromJson(JsonNode array) {
        List<BlockStep.Field> fields = new ArrayList<>();
        if (array != null) {
            for (JsonNode field : array) {
                fields.add(new BlockStep.Field(text(field, "key"), text(field, "text"),
                        required(field, "required").asBoolean(), optionalText(field, "default"),
                        strings(field.get("options"))));
            }
        }
        return fields;
    }

    private static Map<String, String> envFromJson(JsonNode json) {
        Map<String, String> env = new LinkedHashMap<>();
        if (json != null) {
            json.properties().forEach(entry -> env.put(entry.getKey(), entry.getValue().asText()));
        }
        return env;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array != null) {
            array.forEach(value -> values.add(value.asText()));
        }
        return values;
    }

    private static JsonNode required(JsonNode json, String name) {
        JsonNode value = json.get(name);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing \"" + name + "\" in " + json);
        }
        return value;
    }

    private static String text(JsonNode json, String name) {
        return required(json, name).asText();
    }

    private static Optional<String> optionalText(JsonNode json, String name) {
        JsonNode value = json.get(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    private static OptionalInt optionalInt(JsonNode json, String name) {
        JsonNode value = json.get(name);
        return value == null || value.isNull() ? OptionalInt.empty() : OptionalInt.of(value.asInt());
    }
}
