package io.hybridci.infra;

import io.hybridci.topology.FunctionSpec;
import io.hybridci.topology.Topology;
import software.amazon.awscdk.services.codedeploy.AutoRollbackConfig;
import software.amazon.awscdk.services.codedeploy.LambdaApplication;
import software.amazon.awscdk.services.codedeploy.LambdaDeploymentConfig;
import software.amazon.awscdk.services.codedeploy.LambdaDeploymentGroup;
import software.constructs.Construct;

import java.util.List;

/**
 * Blue-green release of the control plane itself: when a deploy publishes a new version of a
 * function, CodeDeploy moves its {@value Functions#ALIAS} alias 10 % first, waits 5 minutes, then
 * moves the rest; if the function's error alarm fires meanwhile, the alias goes back to the old
 * version by itself. Every trigger invokes the alias, so the canary sees real traffic.
 */
public final class Release extends Construct {

    public Release(Construct scope, String id, Topology topology, Functions functions, Monitoring monitoring) {
        super(scope, id);
        LambdaApplication application = LambdaApplication.Builder.create(this, "Application").build();
        for (FunctionSpec spec : topology.functions()) {
            LambdaDeploymentGroup.Builder.create(this, Names.pascal(spec.name()) + "Deployment")
                    .application(application)
                    .alias(functions.alias(spec.name()))
                    .deploymentConfig(LambdaDeploymentConfig.CANARY_10_PERCENT_5_MINUTES)
                    .alarms(List.of(monitoring.errorAlarm(spec.name())))
                    .autoRollback(AutoRollbackConfig.builder()
                            .failedDeployment(true)
                            .stoppedDeployment(true)
                            .deploymentInAlarm(true)
                            .build())
                    .build();
        }
    }
}
