package io.hybridci.aws.github;

import io.hybridci.aws.config.FunctionConfig;
import io.hybridci.core.status.BuildStatusReporting.StatusSettings;
import io.hybridci.topology.EnvironmentNames;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * github-status's settings, read once from the environment and failing fast on a missing variable.
 *
 * @param function       the common settings (region, endpoint, state table)
 * @param credentialsId  Secrets Manager id of the GitHub credentials ({@value EnvironmentNames#GITHUB_TOKEN_SECRET_ID})
 * @param apiUrl         GitHub's REST API base ({@value EnvironmentNames#GITHUB_API_URL})
 * @param statusSettings link base ({@value EnvironmentNames#DASHBOARD_URL}, optional) and context
 *                       ({@value #STATUS_CONTEXT}, default {@code hybridci}), per-job statuses
 *                       ({@value EnvironmentNames#GITHUB_STATUS_PER_JOB}, default off)
 */
public record GithubStatusConfig(FunctionConfig function, String credentialsId, URI apiUrl,
                                 StatusSettings statusSettings) {

    /** Optional: the status context, to run two installations against one repository side by side. */
    public static final String STATUS_CONTEXT = "GITHUB_STATUS_CONTEXT";

    public static GithubStatusConfig fromEnv(Map<String, String> env) {
        FunctionConfig function = FunctionConfig.fromEnv(env);
        String credentials = required(env, EnvironmentNames.GITHUB_TOKEN_SECRET_ID);
        URI api = URI.create(required(env, EnvironmentNames.GITHUB_API_URL));
        Optional<URI> dashboard = optional(env, EnvironmentNames.DASHBOARD_URL).map(URI::create);
        String context = optional(env, STATUS_CONTEXT).orElse(StatusSettings.DEFAULT_CONTEXT);
        boolean perJob = optional(env, EnvironmentNames.GITHUB_STATUS_PER_JOB).map(value -> switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalStateException(EnvironmentNames.GITHUB_STATUS_PER_JOB
                    + " must be true or false, is '" + value + "'");
        }).orElse(false);
        return new GithubStatusConfig(function, credentials, api, new StatusSettings(dashboard, context, perJob));
    }

    private static String required(Map<String, String> env, String name) {
        return optional(env, name).orElseThrow(() -> new IllegalStateException("missing environment variable " + name));
    }

    private static Optional<String> optional(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
