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
                assertTrue(String.valueOf(target.get("DeadLetterConfig")).contains("EventsTargetDlq"),
                        String.valueOf(rule.get("Name")));
            }
        }
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
