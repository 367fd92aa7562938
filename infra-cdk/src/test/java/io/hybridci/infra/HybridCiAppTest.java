package io.hybridci.infra;

import io.hybridci.topology.EnvironmentNames;
import io.hybridci.topology.Topology;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The context values of docs/deploy.md, parsed before anything is synthesized. */
class HybridCiAppTest {

    @Test
    void shouldUseDefaultQueue_whenNoAgentQueueContext() {
        assertEquals(List.of("default"), HybridCiApp.agentQueues(null));
    }

    @Test
    void shouldSplitAndTrim_whenAgentQueueContextIsCommaSeparated() {
        assertEquals(List.of("default", "linux-arm64"), HybridCiApp.agentQueues(" default, linux-arm64 "));
    }

    @Test
    void shouldRefuseBeforeSynthesis_whenAgentQueueNameIsInvalid() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> HybridCiApp.agentQueues("Deploy_Prod"));

        assertTrue(refused.getMessage().contains("agent queue 'Deploy_Prod'"), refused.getMessage());
    }

    @Test
    void shouldBeProduction_whenContextIsTrueAsStringOrBoolean() {
        assertTrue(HybridCiApp.production("true"));
        assertTrue(HybridCiApp.production(Boolean.TRUE));
        assertFalse(HybridCiApp.production(null));
        assertFalse(HybridCiApp.production("no"));
    }

    @Test
    void shouldRefuse_whenAlarmEmailIsNotAnAddress() {
        assertEquals(Optional.empty(), HybridCiApp.alarmEmail(" "));
        assertEquals(Optional.of("ops@example.com"), HybridCiApp.alarmEmail("ops@example.com"));
        assertThrows(IllegalArgumentException.class, () -> HybridCiApp.alarmEmail("ops"));
    }

    @Test
    void shouldPutEachFunctionSettingIntoItsFunctionsEnvironment_whenTheContextSetsIt() {
        HybridCiStack stack = SynthesizedStack.synthesize(Map.of(
                "hybridci:cancelSupersededBranches", "feature/**, fix/*",
                "hybridci:githubStatusPerJob", "true",
                "hybridci:dashboardUrl", "https://ci.example.com"));
        Template template = Template.fromStack(stack);

        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of("Environment", Map.of("Variables",
                Match.objectLike(Map.of(EnvironmentNames.HYBRIDCI_FUNCTION, Topology.BUILD_PLANNER,
                        EnvironmentNames.CANCEL_SUPERSEDED_BRANCHES, "feature/**, fix/*"))))));
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of("Environment", Map.of("Variables",
                Match.objectLike(Map.of(EnvironmentNames.HYBRIDCI_FUNCTION, Topology.GITHUB_STATUS,
                        EnvironmentNames.GITHUB_STATUS_PER_JOB, "true",
                        EnvironmentNames.DASHBOARD_URL, "https://ci.example.com",
                        EnvironmentNames.GITHUB_API_URL, Topology.DEFAULT_GITHUB_API_URL))))));
    }

    @Test
    void shouldLeaveTheDefaults_whenNoFunctionSettingIsInTheContext() {
        Topology standard = Topology.standard();

        assertEquals(standard, HybridCiApp.withFunctionSettings(standard, key -> key.equals("hybridci:dashboardUrl") ? " " : null));
        assertFalse(SynthesizedStack.topology().function(Topology.BUILD_PLANNER).extraEnvironment()
                .containsKey(EnvironmentNames.CANCEL_SUPERSEDED_BRANCHES));
    }

    @Test
    void shouldSayHowToBuild_whenAFunctionJarIsMissing() {
        FunctionJars jars = new FunctionJars(Path.of("/nonexistent"), "0.1.0-SNAPSHOT");

        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> jars.jar("api"));

        assertTrue(missing.getMessage().contains("run ./hybridci build first"), missing.getMessage());
        assertTrue(missing.getMessage().contains("functions/api/target/api-0.1.0-SNAPSHOT-lambda.jar"), missing.getMessage());
    }
}
