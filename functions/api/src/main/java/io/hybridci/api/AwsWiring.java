package io.hybridci.api;

import io.hybridci.aws.config.Adapters;
import java.util.Map;

/**
 * Builds the api function's real collaborators (DynamoDB, EventBridge, Secrets Manager adapters
 * from functions/aws) from the environment, once per container.
 */
final class AwsWiring {

    private AwsWiring() {
    }

    static ApiHandler.Collaborators fromEnvironment(Map<String, String> env) {
        ApiConfig config = ApiConfig.fromEnv(env);
        Adapters adapters = Adapters.fromEnvironment(env);
        return new ApiHandler.Collaborators(adapters.builds(), adapters.jobs(), adapters.agents(),
                adapters.credentials(), adapters.logs(), adapters.audit(), adapters.events(), adapters.secrets(),
                adapters.deployments(), config);
    }
}
