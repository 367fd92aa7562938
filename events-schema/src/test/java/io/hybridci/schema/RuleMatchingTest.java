package io.hybridci.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import software.amazon.event.ruler.Machine;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every rule pattern, compiled by AWS Event Ruler (the matcher EventBridge's own patterns
 * follow), matches exactly the examples it is meant to match and no other example.
 */
class RuleMatchingTest {

    /**
     * Rule → the examples it must match. Every other example must match no rule; among them
     * are a deleted-branch push and a closed pull request, which must not start a build.
     */
    private static final Map<String, Set<String>> EXPECTED_MATCHES = Map.of(
            "github-push", Set.of("github-push/v1", "github-push/v1/tag"),
            "github-pull-request", Set.of("github-pull-request/v1", "github-pull-request/v1/synchronize-fork"),
            "pipeline-uploaded", Set.of("pipeline-uploaded/v1", "pipeline-uploaded/v2"),
            // The envelope example is a delivered Build State Changed event, so github-status's rule takes it too.
            "build-state-changed", Set.of("build-state-changed/v1", "eventbridge-envelope/v1"),
            "job-state-changed", Set.of("job-state-changed/v1", "job-state-changed/v1/queued", "job-state-changed/v2",
                    "job-state-changed/v2/timed-out"));

    private static final Set<String> MUST_NOT_MATCH_ANY_RULE = Set.of(
            "github-push/v1/deleted-branch", "github-pull-request/v1/closed");

    private static Machine machine;

    @BeforeAll
    static void compileEveryRule() throws Exception {
        machine = Machine.builder().build();
        for (RuleDefinition rule : RuleCatalog.load()) {
            machine.addRule(rule.name(), rule.eventPattern());
        }
    }

    static List<Example> examples() {
        return Example.all();
    }

    /**
     * Wraps a bus-event example in the envelope EventBridge delivers, with the source and
     * detail-type the catalog gives its schema. SQS messages and the envelope example are not
     * detail payloads: they are matched as they are (SQS messages must match nothing; the envelope
     * example is a whole delivered event and matches the rules of its detail-type).
     */
    static String asDeliveredEvent(Example example) {
        SchemaEntry entry = SchemaCatalog.load().entry(example.schemaName());
        if (!entry.isBusEvent()) {
            return example.json();
        }
        ObjectNode envelope = ClasspathResources.JSON.createObjectNode();
        envelope.put("version", "0");
        envelope.put("id", "0d4bd0a6-5ab6-4a54-9bb0-" + String.format("%012d", Math.abs(example.id().hashCode())));
        envelope.put("detail-type", entry.detailType());
        envelope.put("source", entry.source());
        envelope.put("account", "123456789012");
        envelope.put("time", "2025-03-01T12:00:00Z");
        envelope.put("region", "eu-west-1");
        envelope.putArray("resources");
        try {
            envelope.set("detail", ClasspathResources.JSON.readTree(example.json()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(example.id() + " is not JSON", e);
        }
        return envelope.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldMatchExactlyTheExpectedRules_whenTheExampleIsPublished(Example example) throws Exception {
        Set<String> expected = new TreeSet<>();
        EXPECTED_MATCHES.forEach((rule, matching) -> {
            if (matching.contains(example.id())) {
                expected.add(rule);
            }
        });

        Set<String> actual = new TreeSet<>(machine.rulesForJSONEvent(asDeliveredEvent(example)));

        assertEquals(expected, actual, example.id());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldBuildAValidEnvelope_whenWrappingABusEventExample(Example example) {
        ValidationResult result = SchemaValidator.shared()
                .validate(SchemaNames.EVENTBRIDGE_ENVELOPE, asDeliveredEvent(example));
        boolean busEvent = SchemaCatalog.load().entry(example.schemaName()).isBusEvent();
        boolean isEnvelopeExample = example.schemaName().equals(SchemaNames.EVENTBRIDGE_ENVELOPE);

        assertEquals(busEvent || isEnvelopeExample, result.valid(), example.id() + ": " + result.errors());
    }

    @Test
    void shouldListOnlyExistingExamplesAndRules_inTheExpectationTable() {
        Set<String> exampleIds = new HashSet<>(Example.all().stream().map(Example::id).toList());
        Set<String> ruleNames = new HashSet<>(RuleCatalog.load().stream().map(RuleDefinition::name).toList());

        // A typo in the table would otherwise turn "must match" into a silent "matches nothing".
        assertEquals(ruleNames, EXPECTED_MATCHES.keySet());
        EXPECTED_MATCHES.values().forEach(ids -> assertTrue(exampleIds.containsAll(ids), "unknown example in " + ids));
        assertTrue(exampleIds.containsAll(MUST_NOT_MATCH_ANY_RULE), "missing negative examples " + MUST_NOT_MATCH_ANY_RULE);
        EXPECTED_MATCHES.values().forEach(ids -> assertTrue(ids.stream().noneMatch(MUST_NOT_MATCH_ANY_RULE::contains)));
    }
}
