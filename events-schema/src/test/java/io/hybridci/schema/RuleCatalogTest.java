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
    void shouldLoadEveryRuleWithItsTarget_whenReadFromTheClasspath() {
        List<RuleDefinition> rules = RuleCatalog.load();

        assertEquals(List.of("github-push", "github-pull-request", "pipeline-uploaded", "build-state-changed",
                        "job-state-changed"),
                rules.stream().map(RuleDefinition::name).toList());
        assertEquals(List.of("build-planner", "build-planner", "build-planner", "github-status", "github-status"),
                rules.stream().map(RuleDefinition::target).toList());
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
