package io.hybridci.infra;

import io.hybridci.schema.RuleDefinition;
import io.hybridci.topology.Topology;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.events.BaseArchiveProps;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;
import tools.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The EventBridge bus, its archive, and one rule per rule file of events-schema (patterns are never
 * rewritten here: {@link RuleDefinition#eventPattern()} is the file's pattern), plus the schedules.
 *
 * <p>Targets retry for up to an hour, then land in one dead-letter queue, the topology's
 * {@link Topology#BUS_TARGETS_DLQ} (the local bus sends to the same queue): an event the planner
 * never got is a build that never starts, so it must be visible (an alarm watches the queue) and
 * re-drivable, not dropped. The archive keeps every event of the bus for {@value #ARCHIVE_DAYS}
 * days so a bad release of a consumer can be repaired by replaying.
 */
public final class Events extends Construct {

    static final int ARCHIVE_DAYS = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventBus bus;
    private final IQueue targetDlq;
    private final List<Rule> rules = new ArrayList<>();

    /**
     * @param targetDlq the topology's {@link Topology#BUS_TARGETS_DLQ} (built by {@link Queues}, encrypted and
     *                  SSL-only like every queue): the dead-letter queue of every rule and schedule target
     */
    public Events(Construct scope, String id, String busName, IQueue targetDlq) {
        super(scope, id);
        this.bus = EventBus.Builder.create(this, "Bus").eventBusName(busName).build();
        bus.archive("Archive", BaseArchiveProps.builder()
                .description("Every event of the " + busName + " bus, for replay")
                // An archive needs a pattern; the account matches every event on the bus.
                .eventPattern(EventPattern.builder().account(List.of(Stack.of(this).getAccount())).build())
                .retention(Duration.days(ARCHIVE_DAYS))
                .build());
        this.targetDlq = targetDlq;
    }

    public EventBus bus() {
        return bus;
    }

    /** Where events go that no target accepted after the retries. */
    public IQueue targetDlq() {
        return targetDlq;
    }

    /** The rules and schedules created so far. */
    public List<Rule> rules() {
        return List.copyOf(rules);
    }

    /** A rule on the bus with the pattern of its file, invoking {@code target}. */
    public Rule addRule(RuleDefinition definition, IFunction target) {
        Rule rule = Rule.Builder.create(this, Names.pascal(definition.name()) + "Rule")
                .eventBus(bus)
                .ruleName(definition.name())
                .description(truncate(definition.description()))
                .eventPattern(pattern(definition))
                .build();
        rule.addTarget(target(target));
        rules.add(rule);
        return rule;
    }

    /** A schedule (on the default bus, where EventBridge emits scheduled events) invoking {@code target}. */
    public Rule addSchedule(String name, String expression, IFunction target) {
        Rule rule = Rule.Builder.create(this, Names.pascal(name) + "Schedule")
                .ruleName(Stack.of(this).getStackName() + "-" + name)
                .schedule(Schedule.expression(expression))
                .build();
        rule.addTarget(target(target));
        rules.add(rule);
        return rule;
    }

    private LambdaFunction target(IFunction function) {
        return new LambdaFunction(function, LambdaFunctionProps.builder()
                .deadLetterQueue(targetDlq)
                .retryAttempts(Topology.RULE_TARGET_RETRY_ATTEMPTS)
                .maxEventAge(Duration.hours(1))
                .build());
    }

    /**
     * The rule file's pattern as CDK's typed {@link EventPattern}. A top-level key CDK cannot
     * express fails the synth rather than being silently dropped (which would widen the rule).
     */
    @SuppressWarnings("unchecked")
    static EventPattern pattern(RuleDefinition definition) {
        Map<String, Object> json = JSON.readValue(definition.eventPattern(), LinkedHashMap.class);
        EventPattern.Builder pattern = EventPattern.builder();
        for (Map.Entry<String, Object> field : json.entrySet()) {
            Object value = field.getValue();
            switch (field.getKey()) {
                case "source" -> pattern.source((List<String>) value);
                case "detail-type" -> pattern.detailType((List<String>) value);
                case "detail" -> pattern.detail((Map<String, Object>) value);
                case "account" -> pattern.account((List<String>) value);
                case "region" -> pattern.region((List<String>) value);
                case "resources" -> pattern.resources((List<String>) value);
                case "id" -> pattern.id((List<String>) value);
                case "version" -> pattern.version((List<String>) value);
                default -> throw new IllegalArgumentException("rule '" + definition.name()
                        + "': pattern field '" + field.getKey() + "' is not supported by the CDK app");
            }
        }
        return pattern.build();
    }

    /** EventBridge allows 512 characters of rule description. */
    private static String truncate(String description) {
        return description.length() <= 512 ? description : description.substring(0, 509) + "...";
    }
}
