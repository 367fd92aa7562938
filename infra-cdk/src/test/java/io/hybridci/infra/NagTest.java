package io.hybridci.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cdk-nag's AwsSolutions pack, applied by {@link HybridCiApp#build} exactly as at synth. */
class NagTest {

    @Test
    void shouldHaveNoAwsSolutionsError_whenSynthesized() {
        List<String> errors = Annotations.fromStack(SynthesizedStack.stack())
                .findError("*", Match.stringLikeRegexp("AwsSolutions-.*")).stream()
                .map(message -> message.getId() + " " + message.getEntry().getData()).toList();

        assertEquals(List.of(), errors);
    }

    @Test
    void shouldHaveNoWarning_whenSynthesized() {
        List<String> warnings = Annotations.fromStack(SynthesizedStack.stack())
                .findWarning("*", Match.anyValue()).stream()
                .map(message -> message.getId() + " " + message.getEntry().getData()).toList();

        assertEquals(List.of(), warnings);
    }

    @Test
    void shouldGiveEverySuppressionAWrittenReason_whenSuppressed() {
        Map<String, Object> resources = SynthesizedStack.map(SynthesizedStack.template().toJSON().get("Resources"));
        int suppressions = 0;
        for (Object resource : resources.values()) {
            Object metadata = SynthesizedStack.map(resource).get("Metadata");
            if (metadata == null || !SynthesizedStack.map(metadata).containsKey("cdk_nag")) {
                continue;
            }
            for (Map<String, Object> rule : SynthesizedStack.list(SynthesizedStack.map(
                    SynthesizedStack.map(metadata).get("cdk_nag")).get("rules_to_suppress"))) {
                suppressions++;
                String reason = String.valueOf(rule.get("reason"));
                assertTrue(reason.length() >= 60, rule.get("id") + " has no real reason: " + reason);
            }
        }
        assertTrue(suppressions > 0, "expected the documented suppressions in the template metadata");
    }

}
