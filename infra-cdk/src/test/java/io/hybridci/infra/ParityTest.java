package io.hybridci.infra;

import io.hybridci.schema.RuleDefinition;
import io.hybridci.topology.EnvironmentNames;
import io.hybridci.topology.FunctionSpec;
import io.hybridci.topology.QueueSpec;
import io.hybridci.topology.TableSpec;
import io.hybridci.topology.Trigger.ScheduleTrigger;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.hybridci.infra.SynthesizedStack.properties;
import static io.hybridci.infra.SynthesizedStack.topology;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every function, queue, table, rule and schedule of the topology is in the template, and nothing
 * else of those types: AWS and the local cloud cannot drift apart (the bus targets' DLQ included: it is the
 * topology's {@code bus-targets-dlq}, which the local bus sends to as well).
 */
class ParityTest {

    @Test
    void shouldHaveExactlyTheTopologyFunctions_whenSynthesized() {
        Set<String> functions = SynthesizedStack.topologyFunctions().values().stream()
                .map(function -> String.valueOf(SynthesizedStack.map(SynthesizedStack.map(function.get("Environment"))
                        .get("Variables")).get(EnvironmentNames.HYBRIDCI_FUNCTION)))
                .collect(Collectors.toSet());

        assertEquals(topology().functions().stream().map(FunctionSpec::name).collect(Collectors.toSet()), functions);
        assertEquals(topology().functions().size(), SynthesizedStack.topologyFunctions().size());
        // Besides them, only the dashboard's deploy-time handler.
        assertEquals(topology().functions().size() + 1, properties("AWS::Lambda::Function").size());
    }

    @Test
    void shouldHaveExactlyTheTopologyQueues_whenSynthesized() {
        Set<String> expected = topology().queues().stream()
                .map(queue -> HybridCiApp.STACK_NAME + "-" + queue.physicalName()).collect(Collectors.toCollection(HashSet::new));
        assertTrue(expected.contains(HybridCiApp.STACK_NAME + "-bus-targets-dlq"));
        List<String> queues = properties("AWS::SQS::Queue").values().stream()
                .map(queue -> String.valueOf(queue.get("QueueName"))).toList();

        assertEquals(expected, Set.copyOf(queues));
        assertEquals(expected.size(), queues.size());
        assertEquals(topology().queues().stream().map(QueueSpec::name).distinct().count(), topology().queues().size());
    }

    @Test
    void shouldHaveExactlyTheTopologyTables_whenSynthesized() {
        Set<List<String>> expected = topology().tables().stream()
                .map(table -> List.of(table.partitionKey().name(), table.findSortKey().map(key -> key.name()).orElse("")))
                .collect(Collectors.toSet());
        Set<List<String>> tables = properties("AWS::DynamoDB::Table").values().stream()
                .map(table -> {
                    List<Map<String, Object>> keys = SynthesizedStack.list(table.get("KeySchema"));
                    return List.of(String.valueOf(keys.get(0).get("AttributeName")),
                            keys.size() > 1 ? String.valueOf(keys.get(1).get("AttributeName")) : "");
                })
                .collect(Collectors.toSet());

        assertEquals(expected, tables);
        assertEquals(topology().tables().size(), properties("AWS::DynamoDB::Table").size());
        assertEquals(topology().tables().size(), topology().tables().stream().map(TableSpec::name).distinct().count());
    }

    @Test
    void shouldHaveExactlyTheTopologyRulesAndSchedules_whenSynthesized() {
        Set<String> expected = topology().rules().stream().map(RuleDefinition::name).collect(Collectors.toCollection(HashSet::new));
        Set<String> schedules = topology().functions().stream()
                .flatMap(function -> function.triggersOf(ScheduleTrigger.class).stream())
                .map(schedule -> HybridCiApp.STACK_NAME + "-" + schedule.name() + " " + schedule.expression())
                .collect(Collectors.toSet());
        Map<String, Map<String, Object>> rules = properties("AWS::Events::Rule");

        assertEquals(expected, rules.values().stream().filter(rule -> rule.containsKey("EventPattern"))
                .map(rule -> String.valueOf(rule.get("Name"))).collect(Collectors.toSet()));
        assertEquals(schedules, rules.values().stream().filter(rule -> rule.containsKey("ScheduleExpression"))
                .map(rule -> rule.get("Name") + " " + rule.get("ScheduleExpression")).collect(Collectors.toSet()));
        assertEquals(expected.size() + schedules.size(), rules.size());
    }
}
