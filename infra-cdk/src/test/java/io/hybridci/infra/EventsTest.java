package io.hybridci.infra;

import io.hybridci.schema.RuleCatalog;
import io.hybridci.schema.RuleDefinition;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import tools.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.hybridci.infra.SynthesizedStack.template;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldNameTheBusHybridciAndArchiveItForThirtyDays_whenSynthesized() {
        template().hasResourceProperties("AWS::Events::EventBus", Map.of("Name", "hybridci"));
        template().hasResourceProperties("AWS::Events::Archive", Map.of("RetentionDays", 30));
    }

    @Test
    void shouldCopyEachRuleFilePatternUnchanged_whenSynthesized() {
        Map<String, Map<String, Object>> rules = SynthesizedStack.properties("AWS::Events::Rule");
        for (RuleDefinition definition : RuleCatalog.load()) {
            Map<String, Object> rule = rules.values().stream()
                    .filter(properties -> definition.name().equals(properties.get("Name")))
                    .findFirst().orElseThrow(() -> new AssertionError("no rule " + definition.name()));

            assertEquals(JSON.readValue(definition.eventPattern(), LinkedHashMap.class), rule.get("EventPattern"),
                    definition.name());
        }
    }

    @Test
    void shouldRetryAndDeadLetterEveryTarget_whenRuleOrSchedule() {
        Map<String, Map<String, Object>> rules = SynthesizedStack.properties("AWS::Events::Rule");
        assertTrue(rules.size() >= RuleCatalog.load().size() + 1);
        for (Map<String, Object> rule : rules.values()) {
            for (Map<String, Object> target : SynthesizedStack.list(rule.get("Targets"))) {
                assertEquals(Map.of("MaximumRetryAttempts", 8, "MaximumEventAgeInSeconds", 3600),
                        target.get("RetryPolicy"), String.valueOf(rule.get("Name")));
                assertTrue(String.valueOf(target.get("DeadLetterConfig")).contains(HybridCiStack.BUS_TARGETS_DLQ_LOGICAL_ID),
                        String.valueOf(rule.get("Name")));
            }
        }
    }

    @Test
    void shouldDeadLetterToTheTopologysQueue_keepingItsLogicalIdEncryptionAndEventBridgesSendPermission() {
        Map<String, Map<String, Object>> queues = SynthesizedStack.properties("AWS::SQS::Queue");
        // The CDK's own id for a queue of the topology, computed the same way: checks the kept id is what
        // CDK gave the queue when Events created it (path Events/TargetDlq).
        assertTrue(queues.containsKey("QueuesJobsDefaultQueueA00A43DD"), queues.keySet().toString());
        Map<String, Object> dlq = queues.get(HybridCiStack.BUS_TARGETS_DLQ_LOGICAL_ID);
        assertEquals(HybridCiApp.STACK_NAME + "-bus-targets-dlq", dlq.get("QueueName"));
        assertEquals(true, dlq.get("SqsManagedSseEnabled"));
        assertEquals(1_209_600, dlq.get("MessageRetentionPeriod"));
        String policies = String.valueOf(SynthesizedStack.properties("AWS::SQS::QueuePolicy").values().stream()
                .filter(policy -> String.valueOf(policy.get("Queues")).contains(HybridCiStack.BUS_TARGETS_DLQ_LOGICAL_ID))
                .toList());
        assertTrue(policies.contains("sqs:SendMessage") && policies.contains("events.amazonaws.com"),
                "EventBridge may send to the DLQ: " + policies);
        assertTrue(policies.contains("aws:SecureTransport"), "SSL only: " + policies);
    }

    @Test
    void shouldTargetTheLiveAliasOfTheRuleTarget_whenRule() {
        template().hasResourceProperties("AWS::Events::Rule", Map.of(
                "Name", "github-push",
                "EventBusName", Match.anyValue(),
                "Targets", List.of(Match.objectLike(Map.of("Arn", Map.of("Ref", Match.stringLikeRegexp("FunctionsBuildPlannerLive.*")))))));
    }

    @Test
    void shouldRunTheReaperEveryMinute_whenSchedule() {
        template().hasResourceProperties("AWS::Events::Rule", Map.of(
                "ScheduleExpression", "rate(1 minute)",
                "Targets", List.of(Match.objectLike(Map.of("Arn", Map.of("Ref", Match.stringLikeRegexp("FunctionsReaperLive.*")))))));
    }
}
