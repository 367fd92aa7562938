package io.hybridci.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import software.amazon.event.ruler.Machine;

class RuleCatalogTest {

    @Test
    void shouldLoadEveryRuleOfTheBuildPlanner_whenReadFromTheClasspath() {
        List<RuleDefinition> rules = RuleCatalog.load();

        assertEquals(List.of("github-push", "github-pull-request", "pipeline-uploaded"),
                rules.stream().map(RuleDefinition::name).toList());
        assertTrue(rules.stream().allMatch(rule -> rule.target().equals("build-planner")));
    }

    @Test
    void shouldCompileEveryPattern_whenAddedToAnEventRulerMachine() throws Exception {
        Machine machine = Machine.builder().build();
        for (RuleDefinition rule : RuleCatalog.load()) {
            machine.addRule(rule.name(), rule.eventPattern());
        }
        assertFalse(machine.isEmpty());
    }

    @Test
    void shouldRenderThePatternAsCompactJson_whenLoaded() {
        assertEquals("{\"source\":[\"hybridci.builds\"],\"detail-type\":[\"Pipeline Uploaded\"]}",
                RuleCatalog.byName("pipeline-uploaded").eventPattern());
    }

    @Test
    void shouldNameTheKnownRules_whenAskedForAnUnknownOne() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> RuleCatalog.byName("no-such-rule"));
        assertTrue(error.getMessage().contains("github-push"), error.getMessage());
    }
}
