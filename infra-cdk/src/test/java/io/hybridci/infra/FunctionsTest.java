package io.hybridci.infra;

import io.hybridci.topology.EnvironmentNames;
import io.hybridci.topology.FunctionSpec;
import io.hybridci.topology.Topology;
import io.hybridci.topology.Trigger.SqsTrigger;
import io.hybridci.topology.Trigger.StreamTrigger;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static io.hybridci.infra.SynthesizedStack.template;
import static io.hybridci.infra.SynthesizedStack.topology;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FunctionsTest {

    @Test
    void shouldRunJava25OnArm64WithSnapStartAndTopologySizes_whenEveryFunction() {
        for (FunctionSpec spec : topology().functions()) {
            template().hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Handler", spec.handler(),
                    "Runtime", "java25",
                    "Architectures", List.of("arm64"),
                    "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                    "MemorySize", spec.memoryMb(),
                    "Timeout", spec.timeoutSeconds()));
        }
    }

    @Test
    void shouldSetExactlyTheRequiredEnvironment_whenEveryFunction() {
        for (Map<String, Object> function : SynthesizedStack.topologyFunctions().values()) {
            Map<String, Object> variables = SynthesizedStack.map(
                    SynthesizedStack.map(function.get("Environment")).get("Variables"));
            FunctionSpec spec = topology().function(String.valueOf(variables.get(EnvironmentNames.HYBRIDCI_FUNCTION)));

            assertEquals(EnvironmentNames.requiredBy(spec, topology()), new TreeSet<>(variables.keySet()), spec.name());
        }
    }

    @Test
    void shouldPublishAliasLivePerFunction_whenSynthesized() {
        template().resourcePropertiesCountIs("AWS::Lambda::Alias", Map.of("Name", "live"), topology().functions().size());
    }

    @Test
    void shouldReportBatchItemFailuresOnTheAlias_whenAgentUpdatesMapping() {
        Map<String, Object> mapping = mappingOf("JobUpdater");

        assertEquals(10, mapping.get("BatchSize"));
        assertEquals(List.of("ReportBatchItemFailures"), mapping.get("FunctionResponseTypes"));
    }

    @Test
    void shouldBoundRetriesAndSendFailuresToItsQueue_whenStreamMapping() {
        for (String consumer : List.of("StateReactor", "AuditWriter")) {
            Map<String, Object> mapping = mappingOf(consumer);
            template().hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of(
                    "FunctionName", mapping.get("FunctionName"),
                    "StartingPosition", "TRIM_HORIZON",
                    "BatchSize", 100,
                    "MaximumRetryAttempts", 5,
                    "BisectBatchOnFunctionError", true,
                    "FunctionResponseTypes", List.of("ReportBatchItemFailures"),
                    "DestinationConfig", Map.of("OnFailure", Map.of("Destination",
                            Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("Queues" + consumer + "FailuresQueue.*"), "Arn"))))));
        }
    }

    /** The mapping whose function is the alias of this function (CDK writes it as Fn::Join over the alias ARN). */
    private static Map<String, Object> mappingOf(String function) {
        return SynthesizedStack.properties("AWS::Lambda::EventSourceMapping").values().stream()
                .filter(mapping -> {
                    String name = String.valueOf(mapping.get("FunctionName"));
                    return name.contains("Functions" + function + "Live") && name.contains(":live");
                })
                .findFirst().orElseThrow(() -> new AssertionError("no mapping on the live alias of " + function));
    }

    @Test
    void shouldHaveOneMappingPerSqsOrStreamTrigger_whenSynthesized() {
        long triggers = topology().functions().stream()
                .mapToLong(function -> function.triggersOf(SqsTrigger.class).size()
                        + function.triggersOf(StreamTrigger.class).size())
                .sum();
        template().resourceCountIs("AWS::Lambda::EventSourceMapping", (int) triggers);
    }

    @Test
    void shouldKeepLogsAMonthInTheFunctionsOwnGroup_whenEveryFunction() {
        template().resourcePropertiesCountIs("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30),
                Topology.standard().functions().size() + 1); // + the API access logs
        template().resourcePropertiesCountIs("AWS::Lambda::Function",
                Map.of("LoggingConfig", Map.of("LogGroup", Map.of("Ref", Match.stringLikeRegexp("Functions.*Logs.*")))),
                topology().functions().size());
    }

    @Test
    void shouldGrantExactlyEncryptAndDecryptOnTheSigningKey_whenTopologyGivesKmsKeyAccess() {
        Map<String, java.util.Set<String>> kmsActionsByRole = new java.util.TreeMap<>();
        for (Map<String, Object> policy : SynthesizedStack.properties("AWS::IAM::Policy").values()) {
            String role = String.valueOf(SynthesizedStack.list(policy.get("Roles")));
            for (Map<String, Object> statement : SynthesizedStack.list(SynthesizedStack.map(policy.get("PolicyDocument")).get("Statement"))) {
                List<String> actions = statement.get("Action") instanceof List<?> list
                        ? list.stream().map(String::valueOf).toList() : List.of(String.valueOf(statement.get("Action")));
                List<String> kms = actions.stream().filter(action -> action.startsWith("kms:")).toList();
                if (!kms.isEmpty()) {
                    // Only the signing key (construct SigningKeys), never "*" or another resource.
                    assertTrue(String.valueOf(statement.get("Resource")).matches("\\{Fn::GetAtt=\\[SigningKeysKey[0-9A-F]{8}, Arn]}"),
                            role + ": " + statement.get("Resource"));
                    kmsActionsByRole.computeIfAbsent(role.replaceAll(".*Functions(\\w+?)Role.*", "$1"), _ -> new TreeSet<>()).addAll(kms);
                }
            }
        }

        assertEquals(Map.of("Api", new TreeSet<>(List.of("kms:Decrypt", "kms:Encrypt")),
                "JobUpdater", new TreeSet<>(List.of("kms:Decrypt"))), kmsActionsByRole);
    }

    @Test
    void shouldAttachNoAwsManagedPolicy_whenFunctionRole() {
        template().resourcePropertiesCountIs("AWS::IAM::Role", Map.of(
                "AssumeRolePolicyDocument", Match.objectLike(Map.of("Statement", List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", "lambda.amazonaws.com")))))),
                "ManagedPolicyArns", Match.absent()), topology().functions().size());
    }
}
