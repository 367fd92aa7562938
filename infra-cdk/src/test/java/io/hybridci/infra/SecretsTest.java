package io.hybridci.infra;

import io.hybridci.topology.SecretSpec;
import io.hybridci.topology.Topology;
import io.hybridci.topology.Trigger.RotationTrigger;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

import java.util.List;
import java.util.Map;

import static io.hybridci.infra.SynthesizedStack.template;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretsTest {

    @Test
    void shouldCreateEveryTopologySecretWithAGeneratedValue_whenSynthesized() {
        for (SecretSpec spec : Topology.standard().secrets()) {
            template().hasResourceProperties("AWS::SecretsManager::Secret", Map.of(
                    "Name", spec.name(),
                    "GenerateSecretString", Match.objectLike(Map.of("PasswordLength", 64)),
                    "SecretString", Match.absent()));
        }
    }

    @Test
    void shouldRotateWebhookAndRegistrationSecretsEvery30DaysWithTheRotator_whenSynthesized() {
        for (String secret : List.of("HybridciGithubWebhook", "HybridciRegistrationToken")) {
            template().hasResourceProperties("AWS::SecretsManager::RotationSchedule", Map.of(
                    "SecretId", Map.of("Ref", Match.stringLikeRegexp("Secrets" + secret + "Secret.*")),
                    "RotationLambdaARN", Map.of("Ref", Match.stringLikeRegexp("FunctionsSecretRotatorLive.*")),
                    "RotationRules", Map.of("ScheduleExpression", "rate(30 days)")));
        }
        template().resourceCountIs("AWS::SecretsManager::RotationSchedule", (int) Topology.standard().functions().stream()
                .mapToLong(function -> function.triggersOf(RotationTrigger.class).size()).sum());
    }

    @Test
    void shouldOutputSecretNamesButNeverAValue_whenSynthesized() {
        String outputs = String.valueOf(template().toJSON().get("Outputs"));

        assertTrue(outputs.contains("HybridciGithubWebhookSecretName"), outputs);
        assertTrue(outputs.contains("HybridciRegistrationTokenSecretName"), outputs);
        assertFalse(outputs.contains("resolve:secretsmanager"), outputs);
        assertFalse(outputs.contains("SecretString"), outputs);
    }
}
