package io.hybridci.local.engine.eventbridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.local.engine.LocalAws;
import io.hybridci.local.engine.http.AwsJsonError;
import io.hybridci.local.engine.http.AwsJsonServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.event.ruler.GenericMachine;

/**
 * EventBridge for the local cloud: an endpoint the SDK's {@code EventBridgeClient} talks to, with rules
 * matched by AWS Event Ruler (the engine EventBridge itself uses) and targets that are local functions.
 *
 * <p>Operations: PutEvents, CreateEventBus, DescribeEventBus, PutRule, DescribeRule, ListRules, DeleteRule,
 * PutTargets, ListTargetsByRule, RemoveTargets. A target's ARN names a function
 * ({@code arn:aws:lambda:us-east-1:000000000000:function:build-planner}); matched events go to the
 * {@link EventSink} registered under that name, asynchronously and at least once: a failed delivery is
 * retried with doubling backoff (capped at {@link #MAX_RETRY_DELAY}) up to {@code maxAttempts} deliveries in
 * all, then sent to the target's dead-letter queue ({@code DeadLetterConfig.Arn} of PutTargets) through the
 * {@link DeadLetterSender} the local cloud injects (its SQS client), with EventBridge's message attributes; a
 * target without one drops the event with a warning, as AWS does. AWS retries up to the target's retry policy over
 * as long as an hour; here the backoff is capped so a test that waits a minute still sees a late success.
 *
 * <p>Not as in AWS: rules and buses live in memory (the local cloud re-creates them at start from the
 * same topology it deploys), InputPath and InputTransformer are not supported (constant Input is),
 * schedule expressions are stored but not run here, and there is no archive or replay.
 */
public final class LocalEventBridge extends AwsJsonServer {

    /** The largest entry PutEvents accepts, counted as AWS counts it. */
    public static final int MAX_ENTRY_BYTES = 256 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(LocalEventBridge.class);
    private static final String DEFAULT_BUS = "default";

    private final Clock clock;
    /** The longest wait between two deliveries of one event. */
    static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(5);

    private final int maxAttempts;
    private final Duration firstRetryDelay;
    private final Map<String, Bus> buses = new LinkedHashMap<>();
    private final Map<String, EventSink> sinks = new ConcurrentHashMap<>();
    /** Error codes EventBridge writes on a dead letter: the target threw; no such function. */
    static final String ERROR_FROM_TARGET = "ERROR_FROM_TARGET";
    static final String NO_RESOURCE = "NO_RESOURCE";
    /** SQS limits a message attribute to 256 KiB with the rest; an error message this long says enough. */
    private static final int MAX_ERROR_MESSAGE_CHARS = 1000;

    private volatile DeadLetterSender deadLetterSender;
    private final ExecutorService deliveries = Executors.newVirtualThreadPerTaskExecutor();
    /** Deliveries started and not yet done (delivered or dead-lettered). */
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    private LocalEventBridge(int port, Clock clock, int maxAttempts, Duration firstRetryDelay) throws IOException {
        super("AWSEvents", port);
        this.clock = clock;
        this.maxAttempts = maxAttempts;
        this.firstRetryDelay = firstRetryDelay;
        buses.put(DEFAULT_BUS, new Bus(DEFAULT_BUS));
    }

    /** Starts on {@code 127.0.0.1:port} (0: any free port), 3 delivery attempts, retries after 200 ms, 400 ms. */
    public static LocalEventBridge start(int port) throws IOException {
        return start(port, Clock.systemUTC(), 3, Duration.ofMillis(200));
    }

    /** Starts with an explicit clock (the envelope's {@code time}) and retry policy. */
    public static LocalEventBridge start(int port, Clock clock, int maxAttempts, Duration firstRetryDelay)
            throws IOException {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        LocalEventBridge bridge = new LocalEventBridge(port, clock, maxAttempts, firstRetryDelay);
        bridge.startServing();
        return bridge;
    }

    /** Registers where events for the function {@code functionName} go, replacing an earlier sink. */
    public void registerSink(String functionName, EventSink sink) {
        sinks.put(functionName, sink);
    }

    /**
     * Where events go that a target with a {@code DeadLetterConfig} did not accept after every attempt. Set once
     * the SQS client exists (the bus starts before it); until then, and without one, such events are dropped.
     */
    public void deadLetterSender(DeadLetterSender sender) {
        this.deadLetterSender = sender;
    }

    /**
     * Lets every accepted event finish its deliveries (retries included), at most {@code timeout}, and takes no
     * new one: PutEvents answers ServiceUnavailable from then on, so a late caller fails and retries its own
     * input instead of losing an event. An event the bus accepted is thus delivered before the cloud stops (AWS's
     * bus outlives any restart of ours; without this a restart dropped a build's Pipeline Uploaded).
     *
     * @return how many deliveries were abandoned at the timeout (logged; 0 normally)
     */
    public int drain(Duration timeout) {
        draining = true;
        deliveries.shutdown();
        try {
            if (deliveries.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int abandoned = deliveries.shutdownNow().size() + inFlight.get();
        LOG.warn("{} event deliveries still pending after {}: abandoned", abandoned, timeout);
        return abandoned;
    }

    @Override
    public void close() {
        draining = true;
        super.close();
        deliveries.shutdownNow();
    }

    @Override
    protected JsonNode handle(String operation, JsonNode request) {
        return switch (operation) {
            case "PutEvents" -> {
                if (draining) {
                    throw new AwsJsonError("ServiceUnavailable", "the local bus is stopping; try again after the restart", 503);
                }
                yield putEvents(request);
            }
            case "CreateEventBus" -> createEventBus(request);
            case "DescribeEventBus" -> describeEventBus(request);
            case "PutRule" -> putRule(request);
            case "DescribeRule" -> describeRule(request);
            case "ListRules" -> listRules(request);
            case "DeleteRule" -> deleteRule(request);
            case "PutTargets" -> putTargets(request);
            case "ListTargetsByRule" -> listTargetsByRule(request);
            case "RemoveTargets" -> removeTargets(request);
            default -> throw new AwsJsonError("UnknownOperationException", "operation not supported locally: " + operation);
        };
    }

    // ---- buses ----

    private synchronized JsonNode createEventBus(JsonNode request) {
        String name = required(request, "Name");
        if (buses.containsKey(name)) {
            throw new AwsJsonError("ResourceAlreadyExistsException", "Event bus " + name + " already exists.");
        }
        buses.put(name, new Bus(name));
        ObjectNode response = JSON.createObjectNode();
        response.put("EventBusArn", busArn(name));
        return response;
    }

    private synchronized JsonNode describeEventBus(JsonNode request) {
        Bus bus = bus(optional(request, "Name", DEFAULT_BUS));
        ObjectNode response = JSON.createObjectNode();
        response.put("Name", bus.name);
        response.put("Arn", busArn(bus.name));
        return response;
    }

    // ---- rules ----

    private synchronized JsonNode putRule(JsonNode request) {
        String name = required(request, "Name");
        Bus bus = bus(optional(request, "EventBusName", DEFAULT_BUS));
        String pattern = optional(request, "EventPattern", null);
        String schedule = optional(request, "ScheduleExpression", null);
        if (pattern == null && schedule == null) {
            throw new AwsJsonError("ValidationException", "Parameter(s) EventPattern or ScheduleExpression must be specified.");
        }
        if (pattern != null) {
            try {
                new GenericMachine<String>().addRule(name, pattern);
            } catch (IOException | RuntimeException e) {
                throw new AwsJsonError("InvalidEventPatternException", "Event pattern is not valid. Reason: " + e.getMessage());
            }
        }
        Rule previous = bus.rules.get(name);
        Rule rule = new Rule(name, bus.name, pattern, schedule, optional(request, "State", "ENABLED"),
                optional(request, "Description", null), previous == null ? new LinkedHashMap<>() : previous.targets);
        bus.rules.put(name, rule);
        bus.rebuildMachine();
        ObjectNode response = JSON.createObjectNode();
        response.put("RuleArn", rule.arn());
        return response;
    }

    private synchronized JsonNode describeRule(JsonNode request) {
        return ruleJson(rule(request));
    }

    private synchronized JsonNode listRules(JsonNode request) {
        Bus bus = bus(optional(request, "EventBusName", DEFAULT_BUS));
        String prefix = optional(request, "NamePrefix", "");
        ObjectNode response = JSON.createObjectNode();
        ArrayNode rules = response.putArray("Rules");
        bus.rules.values().stream().filter(rule -> rule.name.startsWith(prefix)).forEach(rule -> rules.add(ruleJson(rule)));
        return response;
    }

    private synchronized JsonNode deleteRule(JsonNode request) {
        Bus bus = bus(optional(request, "EventBusName", DEFAULT_BUS));
        String name = required(request, "Name");
        Rule rule = bus.rules.get(name);
        if (rule != null && !rule.targets.isEmpty() && !request.path("Force").asBoolean(false)) {
            throw new AwsJsonError("ValidationException", "Rule can't be deleted since it has targets.");
        }
        bus.rules.remove(name);
        bus.rebuildMachine();
        return JSON.createObjectNode();
    }

    // ---- targets ----

    private synchronized JsonNode putTargets(JsonNode request) {
        Rule rule = rule(request, "Rule");
        for (JsonNode target : request.path("Targets")) {
            String id = required(target, "Id");
            String arn = required(target, "Arn");
            String deadLetterArn = target.path("DeadLetterConfig").path("Arn").asText(null);
            rule.targets.put(id, new Target(id, arn, optional(target, "Input", null), deadLetterArn));
        }
        ObjectNode response = JSON.createObjectNode();
        response.put("FailedEntryCount", 0);
        response.putArray("FailedEntries");
        return response;
    }

    private synchronized JsonNode listTargetsByRule(JsonNode request) {
        Rule rule = rule(request, "Rule");
        ObjectNode response = JSON.createObjectNode();
        ArrayNode targets = response.putArray("Targets");
        for (Target target : rule.targets.values()) {
            ObjectNode node = targets.addObject();
            node.put("Id", target.id);
            node.put("Arn", target.arn);
            if (target.input != null) {
                node.put("Input", target.input);
            }
            if (target.deadLetterArn != null) {
                node.putObject("DeadLetterConfig").put("Arn", target.deadLetterArn);
            }
        }
        return response;
    }

    private synchronized JsonNode removeTargets(JsonNode request) {
        Rule rule = rule(request, "Rule");
        request.path("Ids").forEach(id -> rule.targets.remove(id.asText()));
        ObjectNode response = JSON.createObjectNode();
        response.put("FailedEntryCount", 0);
        response.putArray("FailedEntries");
        return response;
    }

    // ---- events ----

    private JsonNode putEvents(JsonNode request) {
        JsonNode entries = request.path("Entries");
        if (!entries.isArray() || entries.isEmpty() || entries.size() > 10) {
            throw new AwsJsonError("ValidationException",
                    "1 validation error detected: Value at 'entries' failed to satisfy constraint: "
                            + "Member must have length less than or equal to 10 and greater than or equal to 1");
        }
        ObjectNode response = JSON.createObjectNode();
        ArrayNode results = response.putArray("Entries");
        int failed = 0;
        for (JsonNode entry : entries) {
            ObjectNode result = results.addObject();
            try {
                result.put("EventId", publish(entry));
            } catch (AwsJsonError rejected) {
                // Per-entry failure, as AWS reports it: the other entries still go through.
                failed++;
                result.put("ErrorCode", rejected.type());
                result.put("ErrorMessage", rejected.getMessage());
            }
        }
        response.put("FailedEntryCount", failed);
        return response;
    }

    private String publish(JsonNode entry) {
        String source = entryField(entry, "Source");
        String detailType = entryField(entry, "DetailType");
        String detailText = entryField(entry, "Detail");
        JsonNode detail;
        try {
            detail = JSON.readTree(detailText);
        } catch (IOException e) {
            detail = null;
        }
        if (detail == null || !detail.isObject()) {
            throw new AwsJsonError("MalformedDetail", "Detail is malformed.");
        }
        List<String> resources = new ArrayList<>();
        entry.path("Resources").forEach(resource -> resources.add(resource.asText()));
        // AWS's entry size: Time (14 bytes when set), Source, DetailType, Detail and Resources in UTF-8.
        long size = (entry.has("Time") ? 14 : 0) + utf8(source) + utf8(detailType) + utf8(detailText)
                + resources.stream().mapToLong(LocalEventBridge::utf8).sum();
        if (size > MAX_ENTRY_BYTES) {
            throw new AwsJsonError("InvalidArgument", "Entry size " + size + " exceeds the limit of " + MAX_ENTRY_BYTES + " bytes.");
        }
        Bus bus;
        synchronized (this) {
            bus = buses.get(busName(optional(entry, "EventBusName", DEFAULT_BUS)));
        }
        if (bus == null) {
            throw new AwsJsonError("InvalidArgument", "Event bus " + optional(entry, "EventBusName", DEFAULT_BUS)
                    + " does not exist.");
        }
        String id = UUID.randomUUID().toString();
        Instant time = entry.has("Time") ? Instant.ofEpochMilli((long) (entry.get("Time").asDouble() * 1000)) : clock.instant();
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("version", "0");
        envelope.put("id", id);
        envelope.put("detail-type", detailType);
        envelope.put("source", source);
        envelope.put("account", LocalAws.ACCOUNT_ID);
        envelope.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        envelope.put("region", LocalAws.REGION.id());
        ArrayNode resourceArray = envelope.putArray("resources");
        resources.forEach(resourceArray::add);
        envelope.set("detail", detail);
        route(bus, envelope);
        return id;
    }

    private void route(Bus bus, ObjectNode envelope) {
        List<Delivery> matched = new ArrayList<>();
        synchronized (this) {
            for (String ruleName : bus.machine.rulesForJSONEvent(envelope)) {
                Rule rule = bus.rules.get(ruleName);
                if (rule != null && "ENABLED".equals(rule.state)) {
                    for (Target target : rule.targets.values()) {
                        matched.add(new Delivery(rule.arn(), target, target.input != null ? target.input : envelope.toString(),
                                envelope.toString()));
                    }
                }
            }
        }
        for (Delivery delivery : matched) {
            inFlight.incrementAndGet();
            deliveries.submit(() -> {
                try {
                    deliver(delivery);
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        }
    }

    private void deliver(Delivery delivery) {
        String functionName = functionName(delivery.target.arn);
        String lastError = "no sink registered for function " + functionName;
        String errorCode = NO_RESOURCE;
        Duration delay = firstRetryDelay;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            EventSink sink = sinks.get(functionName);
            if (sink != null) {
                try {
                    sink.deliver(delivery.payload);
                    return;
                } catch (Exception e) {
                    lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                    errorCode = ERROR_FROM_TARGET;
                }
            }
            if (attempt < maxAttempts) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                Duration doubled = delay.multipliedBy(2);
                delay = doubled.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : doubled;
            }
        }
        LOG.warn("event for rule {} could not be delivered to {}: {}", delivery.ruleArn, delivery.target.arn, lastError);
        deadLetter(delivery, errorCode, lastError);
    }

    /**
     * Sends the event to the target's DLQ with the attributes EventBridge sets (RULE_ARN, TARGET_ARN, ERROR_CODE,
     * ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS). Three tries: the local queue is in this JVM, so a
     * failure is a stopping engine; then the event is lost, logged loudly (AWS: InvocationsFailedToBeSentToDLQ).
     */
    private void deadLetter(Delivery delivery, String errorCode, String lastError) {
        DeadLetterSender sender = deadLetterSender;
        if (delivery.target.deadLetterArn == null || sender == null) {
            LOG.warn("event for rule {} dropped: target {} has no dead-letter queue", delivery.ruleArn, delivery.target.arn);
            return;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("RULE_ARN", delivery.ruleArn);
        attributes.put("TARGET_ARN", delivery.target.arn);
        attributes.put("ERROR_CODE", errorCode);
        attributes.put("ERROR_MESSAGE", lastError.length() <= MAX_ERROR_MESSAGE_CHARS ? lastError
                : lastError.substring(0, MAX_ERROR_MESSAGE_CHARS));
        attributes.put("EXHAUSTED_RETRY_CONDITION", "MaximumRetryAttempts");
        attributes.put("RETRY_ATTEMPTS", Integer.toString(maxAttempts - 1));
        Exception failure = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                sender.send(delivery.target.deadLetterArn, delivery.eventJson, attributes);
                return;
            } catch (Exception e) {
                failure = e;
            }
        }
        LOG.error("event for rule {} LOST: its dead-letter queue {} did not take it: {}", delivery.ruleArn,
                delivery.target.deadLetterArn, failure.toString());
    }

    // ---- helpers ----

    private static String entryField(JsonNode entry, String member) {
        JsonNode value = entry.get(member);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new AwsJsonError("InvalidArgument", "Parameter " + member + " is not valid. Reason: " + member
                    + " is a required argument.");
        }
        return value.asText();
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The function name in a Lambda ARN (also accepts a bare name or a qualified ARN). */
    static String functionName(String targetArn) {
        String[] parts = targetArn.split(":");
        if (parts.length >= 7 && "function".equals(parts[5])) {
            return parts[6];
        }
        return targetArn;
    }

    private static String busName(String nameOrArn) {
        int slash = nameOrArn.lastIndexOf('/');
        return nameOrArn.startsWith("arn:") && slash >= 0 ? nameOrArn.substring(slash + 1) : nameOrArn;
    }

    private Bus bus(String nameOrArn) {
        Bus bus = buses.get(busName(nameOrArn));
        if (bus == null) {
            throw new AwsJsonError("ResourceNotFoundException", "Event bus " + nameOrArn + " does not exist.");
        }
        return bus;
    }

    private Rule rule(JsonNode request) {
        return rule(request, "Name");
    }

    private Rule rule(JsonNode request, String member) {
        Bus bus = bus(optional(request, "EventBusName", DEFAULT_BUS));
        String name = required(request, member);
        Rule rule = bus.rules.get(name);
        if (rule == null) {
            throw new AwsJsonError("ResourceNotFoundException", "Rule " + name + " does not exist on EventBus " + bus.name + ".");
        }
        return rule;
    }

    private static ObjectNode ruleJson(Rule rule) {
        ObjectNode node = JSON.createObjectNode();
        node.put("Name", rule.name);
        node.put("Arn", rule.arn());
        node.put("State", rule.state);
        node.put("EventBusName", rule.busName);
        if (rule.eventPattern != null) {
            node.put("EventPattern", rule.eventPattern);
        }
        if (rule.scheduleExpression != null) {
            node.put("ScheduleExpression", rule.scheduleExpression);
        }
        if (rule.description != null) {
            node.put("Description", rule.description);
        }
        return node;
    }

    private static String busArn(String name) {
        return "arn:aws:events:" + LocalAws.REGION.id() + ":" + LocalAws.ACCOUNT_ID + ":event-bus/" + name;
    }

    private static final class Bus {
        final String name;
        final Map<String, Rule> rules = new LinkedHashMap<>();
        GenericMachine<String> machine = new GenericMachine<>();

        Bus(String name) {
            this.name = name;
        }

        /** Rules change rarely; a fresh machine per change is simpler than patching one and just as fast. */
        void rebuildMachine() {
            GenericMachine<String> fresh = new GenericMachine<>();
            for (Rule rule : rules.values()) {
                if (rule.eventPattern != null) {
                    try {
                        fresh.addRule(rule.name, rule.eventPattern);
                    } catch (IOException e) {
                        throw new IllegalStateException("pattern validated on PutRule no longer parses", e);
                    }
                }
            }
            machine = fresh;
        }
    }

    private record Rule(String name, String busName, String eventPattern, String scheduleExpression, String state,
            String description, Map<String, Target> targets) {
        String arn() {
            String path = DEFAULT_BUS.equals(busName) ? name : busName + "/" + name;
            return "arn:aws:events:" + LocalAws.REGION.id() + ":" + LocalAws.ACCOUNT_ID + ":rule/" + path;
        }
    }

    /** @param deadLetterArn the SQS queue of its {@code DeadLetterConfig}, or null */
    private record Target(String id, String arn, String input, String deadLetterArn) {
    }

    /** @param payload what the target gets (its constant Input, or the envelope); {@code eventJson} the envelope */
    private record Delivery(String ruleArn, Target target, String payload, String eventJson) {
    }
}
