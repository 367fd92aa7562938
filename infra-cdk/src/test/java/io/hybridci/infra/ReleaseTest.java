package io.hybridci.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

import java.util.List;
import java.util.Map;

import static io.hybridci.infra.SynthesizedStack.template;
import static io.hybridci.infra.SynthesizedStack.topology;

class ReleaseTest {

    @Test
    void shouldShiftEveryAliasTenPercentForFiveMinutesAndRollBackOnAlarm_whenSynthesized() {
        template().resourcePropertiesCountIs("AWS::CodeDeploy::DeploymentGroup", Map.of(
                "DeploymentConfigName", "CodeDeployDefault.LambdaCanary10Percent5Minutes",
                "AlarmConfiguration", Map.of("Enabled", true, "Alarms", List.of(Match.objectLike(Map.of()))),
                "AutoRollbackConfiguration", Map.of("Enabled", true,
                        "Events", Match.arrayWith(List.of("DEPLOYMENT_STOP_ON_ALARM")))),
                topology().functions().size());
    }

    @Test
    void shouldLetCodeDeployUpdateTheAlias_whenAliasChanges() {
        template().hasResource("AWS::Lambda::Alias", Map.of(
                "UpdatePolicy", Map.of("CodeDeployLambdaAliasUpdate", Match.objectLike(Map.of()))));
    }
}
