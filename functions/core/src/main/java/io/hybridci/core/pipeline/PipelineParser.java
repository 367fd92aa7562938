package io.hybridci.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.job.RetryPolicy.AutomaticRetry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the text of {@code .hybridci/pipeline.yml} into a {@link Pipeline}, or into the list of
 * every problem in it. It never throws on bad input: a bad pipeline fails the bootstrap job
 * with {@link ParseResult.Invalid#report()} in its log, so the person who pushed sees all
 * mistakes at once rather than one per push. The reference for every key is {@code docs/pipeline.md}.
 *
 * <p>Thread-safe and stateless; call {@link #parse(String)} from anywhere.
 */
public final class PipelineParser {

    /** Largest accepted file, in UTF-8 bytes: it travels in a 256 KB EventBridge event. */
    public static final int MAX_DOCUMENT_BYTES = 256 * 1024;

    /** Most steps in one pipeline: each becomes a job item, written one by one. */
    public static final int MAX_STEPS = 500;

    /** Longest {@code timeout_in_minutes}: a day. */
    public static final int MAX_TIMEOUT_MINUTES = 1440;

    /** The queue of a step without {@code agents.queue}. */
    public static final String DEFAULT_QUEUE = "default";

    /** The limit of a {@code retry.automatic} rule that names none, as in Buildkite. */
    public static final int DEFAULT_RETRY_LIMIT = 2;

    /** Queue names become SQS queue names ({@code jobs-<queue>}) and so must stay short and plain. */
    public static final Pattern QUEUE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    /** POSIX-portable environment variable names. */
    public static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Step keys end up in job ids and URLs. */
    public static final Pattern STEP_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}");

    /** Environment names, like queue names, end up in resource names ({@code deploy-<environment>}). */
    public static final Pattern ENVIRONMENT_NAME = QUEUE_NAME;

    /** Top-level keys with this prefix are ignored: they hold YAML anchors ({@code x-defaults: &defaults}). */
    public static final String EXTENSION_PREFIX = "x-";

    private static final Pattern FIELD_KEY = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private static final Set<String> TOP_LEVEL_KEYS = orderedSet("steps", "env", "priority");
    private static final Set<String> COMMAND_KEYS = orderedSet("key", "label", "command", "agents", "depends_on",
            "timeout_in_minutes", "retry", "env", "concurrency_group", "concurrency", "priority", "if");
    private static final Set<String> BLOCK_KEYS = orderedSet("block", "key", "prompt", "fields", "depends_on",
            "allowed_roles", "if");
    private static final Set<String> DEPLOY_KEYS = orderedSet("key", "label", "command", "deploy", "agents",
            "depends_on", "timeout_in_minutes", "env", "concurrency_group", "concurrency", "if");
    private static final Set<String> AGENTS_KEYS = orderedSet("queue");
    private static final Set<String> RETRY_KEYS = orderedSet("automatic", "manual");
    private static final Set<String> AUTOMATIC_RETRY_KEYS = orderedSet("exit_status", "limit");
    private static final Set<String> MANUAL_RETRY_KEYS = orderedSet("allowed");
    private static final Set<String> FIELD_KEYS = orderedSet("key", "text", "required", "default", "options");
    private static final Set<String> DEPLOY_BLOCK_KEYS = orderedSet("environment", "strategy", "health_check",
            "switch", "rollback");

    private PipelineParser() {
    }

    /** Parses and validates a whole pipeline file; never throws on bad input. */
    public static ParseResult parse(String yaml) {
        if (yaml == null) {
            return new ParseResult.Invalid(List.of(PipelineError.topLevel(null, "no pipeline file was given")));
        }
        int bytes = yaml.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_DOCUMENT_BYTES) {
            return new ParseResult.Invalid(List.of(PipelineError.topLevel(null,
                    "the file is " + bytes + " bytes; the limit is " + MAX_DOCUMENT_BYTES + " (256 KiB)")));
        }
        YamlTreeReader.Result read = YamlTreeReader.read(yaml);
        Validation validation = new Validation(read.root());
        read.problems().forEach(validation::addReaderProblem);
        Optional<Pipeline> pipeline = validation.pipeline();
        if (validation.errors.isEmpty() && pipeline.isPresent()) {
            return new ParseResult.Parsed(pipeline.get());
        }
        List<PipelineError> errors = new ArrayList<>(validation.errors);
        // Stable sort: top-level first, then step by step in file order, each step's errors as found.
        errors.sort(Comparator.comparingInt(PipelineError::stepIndex));
        return new ParseResult.Invalid(errors);
    }

    /** Where a value sits: the step (if any) and the field path inside it. */
    private record Where(String step, int stepIndex, String path) {

        static Where top(String field) {
            return new Where(null, -1, field);
        }

        Where field(String name) {
            return new Where(step, stepIndex, path == null ? name : path + "." + name);
        }

        Where index(int index) {
            return new Where(step, stepIndex, path + "[" + index + "]");
        }

        PipelineError error(String message) {
            return step == null ? PipelineError.topLevel(path, message)
                    : PipelineError.inStep(step, stepIndex, path, message);
        }
    }

    /** One parse: the tree, the errors found so far, and the readers for every kind of value. */
    private static final class Validation {
        private final JsonNode root;
        private final List<PipelineError> errors = new ArrayList<>();
        /** The top-level {@code priority}, 0 when absent: command steps without their own inherit it. */
        private int buildPriority;

        Validation(JsonNode root) {
            this.root = root;
        }

        void addReaderProblem(YamlTreeReader.Problem problem) {
            List<Object> path = problem.path();
            if (path.size() >= 2 && "steps".equals(path.getFirst()) && path.get(1) instanceof Integer index) {
                Where step = new Where(stepName(root.path("steps").path(index), index), index, null);
                errors.add((path.size() == 2 ? step : step.field(pathText(path.subList(2, path.size()))))
                        .error(problem.message()));
            } else {
                errors.add(PipelineError.topLevel(path.isEmpty() ? null : pathText(path), problem.message()));
            }
        }

        private static String pathText(List<Object> path) {
            StringBuilder text = new StringBuilder();
            for (Object part : path) {
                if (part instanceof Integer index) {
                    text.append('[').append(index).append(']');
                } else {
                    text.append(text.isEmpty() ? "" : ".").append(part);
                }
            }
            return text.toString();
        }

        Optional<Pipeline> pipeline() {
            if (root.isMissingNode() || root.isNull()) {
                if (errors.isEmpty()) {
                    errors.add(PipelineError.topLevel("steps", "the file is empty; a pipeline needs a \"steps:\" list"));
                }
                return Optional.empty();
            }
            if (!root.isObject()) {
                errors.add(PipelineError.topLevel(null,
                        "expected a mapping with a \"steps:\" list at the top of the file, found " + describe(root)));
                return Optional.empty();
            }
            checkTopLevelKeys();
            Map<String, String> env = env(root, Where.top(null));
            // The build's priority: the default of every command step that sets none of its own.
            buildPriority = integer(root, "priority", Where.top(null)).orElse(0);
            JsonNode stepsNode = root.get("steps");
            if (stepsNode == null) {
                errors.add(PipelineError.topLevel("steps", "missing; a pipeline needs a \"steps:\" list"));
                return Optional.empty();
            }
            if (stepsNode.isNull()) {
                // An alias that resolved to nothing was already reported on this field.
                if (errors.stream().noneMatch(error -> "steps".equals(error.field()))) {
                    errors.add(PipelineError.topLevel("steps", "is empty; list the steps under it"));
                }
                return Optional.empty();
            }
            if (!stepsNode.isArray()) {
                errors.add(PipelineError.topLevel("steps", "expected a list of steps, found " + describe(stepsNode)));
                return Optional.empty();
            }
            if (stepsNode.isEmpty()) {
                errors.add(PipelineError.topLevel("steps", "the list is empty; add at least one step"));
                return Optional.empty();
            }
            if (stepsNode.size() > MAX_STEPS) {
                errors.add(PipelineError.topLevel("steps",
                        stepsNode.size() + " steps; the limit is " + MAX_STEPS + " (split the pipeline, or upload steps in stages)"));
                return Optional.empty();
            }
            List<Step> steps = new ArrayList<>();
            for (int index = 0; index < stepsNode.size(); index++) {
                step(stepsNode.get(index), index).ifPresent(steps::add);
            }
            checkKeysUnique(stepsNode);
            checkDependencies(stepsNode, steps);
            return steps.size() == stepsNode.size() ? Optional.of(new Pipeline(steps, env)) : Optional.empty();
        }

        /**
         * Top-level keys other than {@code steps} and {@code env} are mistakes, except those starting
         * with {@code x-}: they hold YAML anchors shared by steps ({@code x-defaults: &defaults}),
         * as in Docker Compose files.
         */
        private void checkTopLevelKeys() {
            ObjectNode withoutExtensions = root.deepCopy();
            withoutExtensions.properties().removeIf(entry -> entry.getKey().startsWith(EXTENSION_PREFIX));
            checkKeys(withoutExtensions, TOP_LEVEL_KEYS, Where.top(null));
        }

        // ---------------------------------------------------------------- steps

        private static String stepName(JsonNode step, int index) {
            JsonNode key = step.path("key");
            return key.isTextual() && STEP_KEY.matcher(key.textValue()).matches() ? key.textValue() : generatedKey(index);
        }

        private static String generatedKey(int index) {
            return "step-" + (index + 1);
        }

        private Optional<? extends Step> step(JsonNode node, int index) {
            Where where = new Where(stepName(node, index), index, null);
            if (!node.isObject()) {
                errors.add(where.error("expected a mapping with \"command\", \"block\" or \"deploy\", found " + describe(node)));
                return Optional.empty();
            }
            boolean block = node.has("block");
            boolean deploy = node.has("deploy");
            if (block && (deploy || node.has("command"))) {
                errors.add(where.error("a step is either a block step or runs a command; "
                        + "\"block\" cannot be combined with \"command\" or \"deploy\""));
                return Optional.empty();
            }
            if (block) {
                return blockStep(node, index, where);
            }
            if (deploy) {
                return deployStep(node, index, where);
            }
            if (node.has("command")) {
                return commandStep(node, index, where);
            }
            checkKeys(node, COMMAND_KEYS, where);
            errors.add(where.error("a step needs \"command\", \"block\" or \"deploy\""));
            return Optional.empty();
        }

        private Optional<CommandStep> commandStep(JsonNode node, int index, Where where) {
            int before = errors.size();
            checkKeys(node, COMMAND_KEYS, where);
            String key = key(node, index, where);
            Optional<String> command = commandText(node, "command", where);
            Optional<String> label = nonBlankString(node, "label", where);
            String queue = queue(node, where);
            List<String> dependsOn = dependsOn(node, where);
            OptionalInt timeout = timeout(node, where);
            RetryPolicy retry = retry(node, where.field("retry"));
            Map<String, String> env = env(node, where);
            Optional<ConcurrencyLimit> concurrency = concurrency(node, where, Optional.empty());
            int priority = integer(node, "priority", where).orElse(buildPriority);
            Optional<String> condition = condition(node, where);
            if (command.isEmpty() && errors.size() == before) {
                errors.add(where.field("command").error("is empty"));
            }
            if (errors.size() > before) {
                return Optional.empty();
            }
            String text = command.orElseThrow();
            return Optional.of(new CommandStep(key, label.orElse(firstLine(text)), text, queue, dependsOn, timeout,
                    retry, env, concurrency, priority, condition));
        }

        private Optional<BlockStep> blockStep(JsonNode node, int index, Where where) {
            int before = errors.size();
            checkKeys(node, BLOCK_KEYS, where);
            String key = key(node, index, where);
            Optional<String> label = nonBlankString(node, "block", where);
            if (label.isEmpty() && node.get("block") != null && node.get("block").isNull()) {
                errors.add(where.field("block").error("expected the text shown on the approval button"));
            }
            Optional<String> prompt = nonBlankString(node, "prompt", where);
            List<BlockStep.Field> fields = blockFields(node, where.field("fields"));
            List<String> dependsOn = dependsOn(node, where);
            List<String> allowedRoles = stringList(node, "allowed_roles", where);
            Optional<String> condition = condition(node, where);
            if (errors.size() > before) {
                return Optional.empty();
            }
            return Optional.of(new BlockStep(key, label.orElseThrow(), prompt, fields, dependsOn, allowedRoles, condition));
        }

        private Optional<DeployStep> deployStep(JsonNode node, int index, Where where) {
            int before = errors.size();
            checkKeys(node, DEPLOY_KEYS, where);
            String key = key(node, index, where);
            Optional<String> command = commandText(node, "command", where);
            if (command.isEmpty() && (node.get("command") == null || node.get("command").isNull())) {
                errors.add(where.field("command").error("missing; a deploy step needs the command that deploys"));
            }
            Optional<String> label = nonBlankString(node, "label", where);
            Optional<DeployStep.Deployment> deployment = deployment(node.get("deploy"), where.field("deploy"));
            String queue = queue(node, where);
            List<String> dependsOn = dependsOn(node, where);
            OptionalInt timeout = timeout(node, where);
            Map<String, String> env = env(node, where);
            Optional<ConcurrencyLimit> concurrency = concurrency(node, where,
                    deployment.map(d -> new ConcurrencyLimit(DeployStep.defaultConcurrencyGroup(d.environment()), 1)));
            Optional<String> condition = condition(node, where);
            if (errors.size() > before || command.isEmpty() || deployment.isEmpty() || concurrency.isEmpty()) {
                return Optional.empty();
            }
            String text = command.get();
            return Optional.of(new DeployStep(key, label.orElse(firstLine(text)), text, deployment.get(), queue,
                    dependsOn, timeout, env, concurrency.get(), condition));
        }

        private String key(JsonNode node, int index, Where where) {
            JsonNode key = node.get("key");
            if (key == null || key.isNull()) {
                return generatedKey(index);
            }
            if (!key.isTextual()) {
                errors.add(where.field("key").error("expected a string, found " + describe(key)));
            } else if (!STEP_KEY.matcher(key.textValue()).matches()) {
                errors.add(where.field("key").error("\"" + key.textValue()
                        + "\" is not a valid key; use letters, digits and _ . : - (up to 100, starting with a letter or digit)"));
            }
            return stepName(node, index);
        }

        private String queue(JsonNode node, Where where) {
            JsonNode agents = node.get("agents");
            if (agents == null || agents.isNull()) {
                return DEFAULT_QUEUE;
            }
            Where agentsWhere = where.field("agents");
            if (!agents.isObject()) {
                errors.add(agentsWhere.error("expected a mapping like {queue: linux}, found " + describe(agents)));
                return DEFAULT_QUEUE;
            }
            checkKeys(agents, AGENTS_KEYS, agentsWhere);
            Optional<String> queue = nonBlankString(agents, "queue", agentsWhere);
            if (queue.isPresent() && !QUEUE_NAME.matcher(queue.get()).matches()) {
                errors.add(agentsWhere.field("queue").error("\"" + queue.get()
                        + "\" is not a valid queue name; use 1 to 63 lowercase letters, digits, _ and -, starting with a letter or digit"));
            }
            return queue.orElse(DEFAULT_QUEUE);
        }

        private List<String> dependsOn(JsonNode node, Where where) {
            JsonNode value = node.get("depends_on");
            if (value == null || value.isNull()) {
                return List.of();
            }
            Where field = where.field("depends_on");
            List<String> keys = new ArrayList<>();
            if (value.isTextual()) {
                keys.add(value.textValue());
            } else if (value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    JsonNode each = value.get(i);
                    if (each.isTextual()) {
                        keys.add(each.textValue());
                    } else {
                        errors.add(field.index(i).error("expected a step key, found " + describe(each)));
                    }
                }
            } else {
                errors.add(field.error("expected a step key or a list of step keys, found " + describe(value)));
            }
            return List.copyOf(new LinkedHashSet<>(keys));
        }

        private OptionalInt timeout(JsonNode node, Where where) {
            Optional<Integer> minutes = integer(node, "timeout_in_minutes", where);
            if (minutes.isPresent() && (minutes.get() < 1 || minutes.get() > MAX_TIMEOUT_MINUTES)) {
                errors.add(where.field("timeout_in_minutes").error(
                        "must be 1 to " + MAX_TIMEOUT_MINUTES + " minutes (24 hours), was " + minutes.get()));
                return OptionalInt.empty();
            }
            return minutes.map(OptionalInt::of).orElse(OptionalInt.empty());
        }

        private Optional<ConcurrencyLimit> concurrency(JsonNode node, Where where, Optional<ConcurrencyLimit> fallback) {
            Optional<String> group = nonBlankString(node, "concurrency_group", where);
            Optional<Integer> limit = integer(node, "concurrency", where);
            if (limit.isPresent() && limit.get() < 1) {
                errors.add(where.field("concurrency").error("must be at least 1, was " + limit.get()));
                return fallback;
            }
            if (limit.isPresent() && group.isEmpty() && fallback.isEmpty()) {
                errors.add(where.field("concurrency").error(
                        "needs \"concurrency_group\": the limit applies to the steps that share a group"));
                return Optional.empty();
            }
            if (group.isEmpty() && limit.isEmpty()) {
                return fallback;
            }
            String groupName = group.or(() -> fallback.map(ConcurrencyLimit::group)).orElseThrow();
            return Optional.of(new ConcurrencyLimit(groupName, limit.orElse(1)));
        }

        private Optional<DeployStep.Deployment> deployment(JsonNode node, Where where) {
            if (node == null || !node.isObject()) {
                errors.add(where.error("expected a mapping like {environment: production}, found " + describe(node)));
                return Optional.empty();
            }
            int before = errors.size();
            checkKeys(node, DEPLOY_BLOCK_KEYS, where);
            Optional<String> environment = nonBlankString(node, "environment", where);
            if (node.get("environment") == null) {
                errors.add(where.field("environment").error("missing; name the environment to deploy to"));
            } else if (environment.isPresent() && !ENVIRONMENT_NAME.matcher(environment.get()).matches()) {
                errors.add(where.field("environment").error("\"" + environment.get()
                        + "\" is not a valid environment name; use 1 to 63 lowercase letters, digits, _ and -, starting with a letter or digit"));
            }
            DeployStep.Strategy strategy = nonBlankString(node, "strategy", where).map(name -> {
                Optional<DeployStep.Strategy> known = DeployStep.Strategy.fromYamlName(name);
                if (known.isEmpty()) {
                    errors.add(where.field("strategy").error("unknown strategy \"" + name + "\"; use \"blue-green\" or \"rolling\""));
                }
                return known.orElse(DeployStep.Strategy.BLUE_GREEN);
            }).orElse(DeployStep.Strategy.BLUE_GREEN);
            Optional<String> healthCheck = commandText(node, "health_check", where);
            Optional<String> switchCommand = commandText(node, "switch", where);
            Optional<String> rollback = commandText(node, "rollback", where);
            if (errors.size() > before) {
                return Optional.empty();
            }
            return Optional.of(new DeployStep.Deployment(environment.orElseThrow(), strategy, healthCheck, switchCommand, rollback));
        }

        private List<BlockStep.Field> blockFields(JsonNode step, Where where) {
            JsonNode node = step.get("fields");
            if (node == null || node.isNull()) {
                return List.of();
            }
            if (!node.isArray()) {
                errors.add(where.error("expected a list of fields, found " + describe(node)));
                return List.of();
            }
            List<BlockStep.Field> fields = new ArrayList<>();
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < node.size(); i++) {
                Where fieldWhere = where.index(i);
                JsonNode field = node.get(i);
                if (!field.isObject()) {
                    errors.add(fieldWhere.error("expected a mapping like {key: version, text: \"Version?\"}, found " + describe(field)));
                    continue;
                }
                int before = errors.size();
                checkKeys(field, FIELD_KEYS, fieldWhere);
                Optional<String> key = nonBlankString(field, "key", fieldWhere);
                if (field.get("key") == null) {
                    errors.add(fieldWhere.field("key").error("missing; later steps read the value by this key"));
                } else if (key.isPresent() && !FIELD_KEY.matcher(key.get()).matches()) {
                    errors.add(fieldWhere.field("key").error("\"" + key.get() + "\" is not a valid field key; use letters, digits, _ and -"));
                } else if (key.isPresent() && seen.putIfAbsent(key.get(), i) != null) {
                    errors.add(fieldWhere.field("key").error("duplicate field key; fields[" + seen.get(key.get()) + "] already uses \"" + key.get() + "\""));
                }
                Optional<String> text = nonBlankString(field, "text", fieldWhere);
                if (field.get("text") == null) {
                    errors.add(fieldWhere.field("text").error("missing; the question shown to the person unblocking"));
                }
                boolean required = bool(field, "required", fieldWhere).orElse(true);
                Optional<String> defaultValue = scalarText(field, "default", fieldWhere);
                List<String> options = stringList(field, "options", fieldWhere);
                if (field.has("options") && options.isEmpty() && errors.size() == before) {
                    errors.add(fieldWhere.field("options").error("is empty; list the allowed values, or drop \"options\" for free text"));
                }
                if (defaultValue.isPresent() && !options.isEmpty() && !options.contains(defaultValue.get())) {
                    errors.add(fieldWhere.field("default").error("\"" + defaultValue.get() + "\" is not one of the options " + options));
                }
                if (errors.size() == before) {
                    fields.add(new BlockStep.Field(key.orElseThrow(), text.orElseThrow(), required, defaultValue, options));
                }
            }
            return fields;
        }

        private RetryPolicy retry(JsonNode step, Where where) {
            JsonNode node = step.get("retry");
            if (node == null || node.isNull()) {
                return RetryPolicy.DEFAULT;
            }
            if (!node.isObject()) {
                errors.add(where.error("expected a mapping like {automatic: true}, found " + describe(node)));
                return RetryPolicy.DEFAULT;
            }
            checkKeys(node, RETRY_KEYS, where);
            List<AutomaticRetry> automatic = automaticRetries(node.get("automatic"), where.field("automatic"));
            boolean manualAllowed = manualRetry(node.get("manual"), where.field("manual"));
            return new RetryPolicy(automatic, manualAllowed);
        }

        private List<AutomaticRetry> automaticRetries(JsonNode node, Where where) {
            if (node == null || node.isNull()) {
                return RetryPolicy.DEFAULT.automatic();
            }
            if (node.isBoolean()) {
                // As in Buildkite: "automatic: true" retries any failure twice; false turns retries off,
                // including the default retry of a lost agent.
                return node.booleanValue() ? List.of(AutomaticRetry.onAnyFailure(DEFAULT_RETRY_LIMIT)) : List.of();
            }
            if (node.isObject()) {
                return automaticRule(node, where).map(List::of).orElse(List.of());
            }
            if (node.isArray()) {
                List<AutomaticRetry> rules = new ArrayList<>();
                for (int i = 0; i < node.size(); i++) {
                    automaticRule(node.get(i), where.index(i)).ifPresent(rules::add);
                }
                return rules;
            }
            errors.add(where.error("expected true, false or a list of {exit_status, limit}, found " + describe(node)));
            return List.of();
        }

        private Optional<AutomaticRetry> automaticRule(JsonNode node, Where where) {
            if (!node.isObject()) {
                errors.add(where.error("expected a mapping like {exit_status: 1, limit: 2}, found " + describe(node)));
                return Optional.empty();
            }
            int before = errors.size();
            checkKeys(node, AUTOMATIC_RETRY_KEYS, where);
            JsonNode status = node.get("exit_status");
            Optional<Integer> exitStatus = Optional.empty();
            if (status != null && !(status.isTextual() && status.textValue().equals("*"))) {
                if (status.isIntegralNumber() && status.canConvertToInt()) {
                    exitStatus = Optional.of(status.intValue());
                } else {
                    errors.add(where.field("exit_status").error("expected a whole number or \"*\", found " + describe(status)));
                }
            }
            int limit = integer(node, "limit", where).orElse(DEFAULT_RETRY_LIMIT);
            if (limit < 1 || limit > RetryPolicy.MAX_LIMIT) {
                errors.add(where.field("limit").error("must be 1 to " + RetryPolicy.MAX_LIMIT + ", was " + limit));
            }
            if (errors.size() > before) {
                return Optional.empty();
            }
            return Optional.of(new AutomaticRetry(exitStatus, limit));
        }

        private boolean manualRetry(JsonNode node, Where where) {
            if (node == null || node.isNull()) {
                return RetryPolicy.DEFAULT.manualAllowed();
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            if (!node.isObject()) {
                errors.add(where.error("expected a mapping like {allowed: false}, found " + describe(node)));
                return RetryPolicy.DEFAULT.manualAllowed();
            }
            checkKeys(node, MANUAL_RETRY_KEYS, where);
            return bool(node, "allowed", where).orElse(RetryPolicy.DEFAULT.manualAllowed());
        }

        private Map<String, String> env(JsonNode parent, Where where) {
            JsonNode node = parent.get("env");
            if (node == null || node.isNull()) {
                return Map.of();
            }
            Where envWhere = where.field("env");
            if (!node.isObject()) {
                errors.add(envWhere.error("expected a mapping of NAME: value, found " + describe(node)));
                return Map.of();
            }
            Map<String, String> env = new LinkedHashMap<>();
            node.properties().forEach(entry -> {
                Where variable = envWhere.field(entry.getKey());
                if (!ENV_NAME.matcher(entry.getKey()).matches()) {
                    errors.add(variable.error("is not a valid variable name; use letters, digits and _, not starting with a digit"));
                } else if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                    errors.add(variable.error("expected a string, number or true/false, found " + describe(entry.getValue())));
                } else {
                    env.put(entry.getKey(), entry.getValue().asText());
                }
            });
            return env;
        }

        // ---------------------------------------------------------------- cross-step checks

        private void checkKeysUnique(JsonNode stepsNode) {
            Map<String, Integer> firstUse = new HashMap<>();
            for (int index = 0; index < stepsNode.size(); index++) {
                String key = stepName(stepsNode.get(index), index);
                Integer earlier = firstUse.putIfAbsent(key, index);
                if (earlier != null) {
                    errors.add(new Where(key, index, "key").error(
                            "duplicate step key; steps[" + earlier + "] already uses \"" + key + "\""));
                }
            }
        }

        /**
         * References are checked against the keys of all steps, including steps that had errors of their
         * own, so one mistake does not cascade into "unknown step key" errors elsewhere. Only steps that
         * parsed are checked for their own references and for cycles.
         */
        private void checkDependencies(JsonNode stepsNode, List<Step> parsed) {
            Map<String, Integer> indexByKey = new LinkedHashMap<>();
            for (int i = 0; i < stepsNode.size(); i++) {
                indexByKey.putIfAbsent(stepName(stepsNode.get(i), i), i);
            }
            for (Step step : parsed) {
                int i = indexByKey.get(step.key());
                for (String dependency : step.dependsOn()) {
                    if (!indexByKey.containsKey(dependency)) {
                        Set<String> others = new LinkedHashSet<>(indexByKey.keySet());
                        others.remove(step.key());
                        String suggestion = nearest(dependency, others)
                                .map(known -> "; did you mean \"" + known + "\"?").orElse("");
                        errors.add(new Where(step.key(), i, "depends_on").error(
                                "unknown step key \"" + dependency + "\"" + suggestion));
                    }
                }
            }
            for (List<String> cycle : Cycles.find(parsed)) {
                String first = cycle.getFirst();
                errors.add(new Where(first, indexByKey.get(first), "depends_on").error(
                        "dependency cycle: " + String.join(" → ", cycle)));
            }
        }

        // ---------------------------------------------------------------- values

        private void checkKeys(JsonNode node, Set<String> known, Where where) {
            node.fieldNames().forEachRemaining(name -> {
                if (!known.contains(name)) {
                    String hint = nearest(name, known)
                            .map(candidate -> "did you mean \"" + candidate + "\"?")
                            .orElse("known keys here: " + String.join(", ", known));
                    errors.add(where.field(name).error("unknown key; " + hint));
                }
            });
        }

        /** The {@code if} text, checked against the condition language (io.hybridci.core.policy.Condition). */
        private Optional<String> condition(JsonNode node, Where where) {
            Optional<String> condition = nonBlankString(node, "if", where);
            try {
                condition.ifPresent(io.hybridci.core.policy.Condition::parse);
            } catch (IllegalArgumentException invalid) {
                errors.add(where.field("if").error("not a valid condition: " + invalid.getMessage()));
                return Optional.empty();
            }
            return condition;
        }

        private Optional<String> nonBlankString(JsonNode parent, String name, Where where) {
            JsonNode node = parent.get(name);
            if (node == null || node.isNull()) {
                return Optional.empty();
            }
            if (!node.isTextual()) {
                errors.add(where.field(name).error("expected a string, found " + describe(node)));
                return Optional.empty();
            }
            if (node.textValue().isBlank()) {
                errors.add(where.field(name).error("is empty"));
                return Optional.empty();
            }
            return Optional.of(node.textValue());
        }

        /** A scalar as text: block-field defaults may be written {@code 3} or {@code true} unquoted. */
        private Optional<String> scalarText(JsonNode parent, String name, Where where) {
            JsonNode node = parent.get(name);
            if (node == null || node.isNull()) {
                return Optional.empty();
            }
            if (!node.isValueNode()) {
                errors.add(where.field(name).error("expected a string, found " + describe(node)));
                return Optional.empty();
            }
            return Optional.of(node.asText());
        }

        /** A command: a string, or a list of strings run one after the other (joined by newlines). */
        private Optional<String> commandText(JsonNode parent, String name, Where where) {
            JsonNode node = parent.get(name);
            if (node == null || node.isNull()) {
                return Optional.empty();
            }
            Where field = where.field(name);
            if (node.isTextual()) {
                if (node.textValue().isBlank()) {
                    errors.add(field.error("is empty"));
                    return Optional.empty();
                }
                return Optional.of(node.textValue().strip());
            }
            if (node.isArray() && !node.isEmpty()) {
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < node.size(); i++) {
                    JsonNode line = node.get(i);
                    if (line.isTextual()) {
                        lines.add(line.textValue());
                    } else {
                        errors.add(field.index(i).error("expected a string, found " + describe(line)));
                    }
                }
                return lines.size() == node.size() ? Optional.of(String.join("\n", lines)) : Optional.empty();
            }
            errors.add(field.error("expected a string or a list of strings, found " + describe(node)));
            return Optional.empty();
        }

        private List<String> stringList(JsonNode parent, String name, Where where) {
            JsonNode node = parent.get(name);
            if (node == null || node.isNull()) {
                return List.of();
            }
            Where field = where.field(name);
            if (!node.isArray()) {
                errors.add(field.error("expected a list of strings, found " + describe(node)));
                return List.of();
            }
            List<String> values = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                JsonNode each = node.get(i);
                if (each.isTextual() && !each.textValue().isBlank()) {
                    values.add(each.textValue());
                } else {
                    errors.add(field.index(i).error("expected a non-empty string, found " + describe(each)));
                }
            }
            return values;
        }

        private Optional<Integer> integer(JsonNode parent, String name, Where where) {
            JsonNode node = parent.get(name);
            if (node == null || node.isNull()) {
                return Optional.empty();
            }
            if (node.isIntegralNumber() && node.canConvertToInt()) {
                return Optional.of(node.intValue());
            }
            errors.add(where.field(name).error("expected a whole number, found " + describe(node)));
            return Optional.empty();
        }

        private Optional<Boolean> bool(JsonNode parent, String name, Where where) {
            JsonNode node = parent.get(name);
            if (node == null || node.isNull()) {
                return Optional.empty();
            }
            if (node.isBoolean()) {
                return Optional.of(node.booleanValue());
            }
            errors.add(where.field(name).error("expected true or false, found " + describe(node)));
            return Optional.empty();
        }
    }

    // -------------------------------------------------------------------- helpers

    /** How a value reads in an error message: its kind, and for scalars the value itself. */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "a mapping";
            case STRING -> "the string \"" + node.textValue() + "\"";
            case NUMBER -> "the number " + node.asText();
            case BOOLEAN -> node.asText();
            case NULL, MISSING -> "nothing";
            case BINARY, POJO -> "a value of type " + node.getNodeType();
        };
    }

    private static String firstLine(String command) {
        String stripped = command.strip();
        int newline = stripped.indexOf('\n');
        return newline < 0 ? stripped : stripped.substring(0, newline).strip();
    }

    /**
     * The known name closest to a misspelt one: a known name that starts with it
     * ({@code timeout} → {@code timeout_in_minutes}), or one within a small edit distance
     * counting a swap of neighbours as one edit ({@code tset} → {@code test}).
     */
    static Optional<String> nearest(String name, Set<String> known) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        int allowed = Math.max(1, Math.min(3, lower.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known.stream().sorted().toList()) {
            int distance = editDistance(lower, candidate.toLowerCase(java.util.Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best != null && bestDistance <= allowed) {
            return Optional.of(best);
        }
        return lower.length() >= 4
                ? known.stream().filter(candidate -> candidate.startsWith(lower)).sorted().findFirst()
                : Optional.empty();
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static Set<String> orderedSet(String... names) {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names)));
    }
}
