package io.hybridci.core.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A step that deploys to an environment: runs {@code command} on an agent, then the
 * deployment state machine drives health check, switch and, on failure, rollback.
 * Deploys to one environment are serialized by default ({@code concurrency_group:
 * deploy-<environment>}, {@code concurrency: 1}): two builds must never switch traffic at once.
 *
 * @param key unique step key
 * @param label display name; defaults to the command's first line
 * @param command the deployment script, lines joined by {@code \n}
 * @param deploy where and how to deploy
 * @param queue the agent queue ({@code agents.queue}), {@code default} when absent
 * @param dependsOn keys of the steps this one waits for
 * @param timeoutInMinutes how long the job may run, 1 to 1440; empty means the control plane's default
 * @param env variables for this step only
 * @param concurrency the cross-build limit, {@code deploy-<environment>} / 1 unless given
 * @param condition the {@code if} expression, evaluated later by the planner
 */
public record DeployStep(
        String key,
        String label,
        String command,
        Deployment deploy,
        String queue,
        List<String> dependsOn,
        OptionalInt timeoutInMinutes,
        Map<String, String> env,
        ConcurrencyLimit concurrency,
        Optional<String> condition) implements Step {

    public DeployStep {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(deploy, "deploy");
        Objects.requireNonNull(queue, "queue");
        dependsOn = List.copyOf(dependsOn);
        Objects.requireNonNull(timeoutInMinutes, "timeoutInMinutes");
        env = Pipeline.orderedCopy(env);
        Objects.requireNonNull(concurrency, "concurrency");
        Objects.requireNonNull(condition, "condition");
    }

    /** The concurrency group a deploy to {@code environment} uses unless the step names another. */
    public static String defaultConcurrencyGroup(String environment) {
        return "deploy-" + environment;
    }

    /** How traffic moves to the new version. */
    public enum Strategy {
        /** Deploy beside the live color, check it, then switch all traffic at once; rollback switches back. */
        BLUE_GREEN("blue-green"),
        /** Replace instances in batches; rollback redeploys the previous version. */
        ROLLING("rolling");

        private final String yamlName;

        Strategy(String yamlName) {
            this.yamlName = yamlName;
        }

        /** The spelling used in pipeline.yml and in JSON. */
        public String yamlName() {
            return yamlName;
        }

        /** The strategy spelled {@code name} in a pipeline file, if any. */
        public static Optional<Strategy> fromYamlName(String name) {
            for (Strategy strategy : values()) {
                if (strategy.yamlName.equals(name)) {
                    return Optional.of(strategy);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * The {@code deploy:} block.
     *
     * @param environment the target environment name
     * @param strategy how traffic moves; {@code blue-green} by default
     * @param healthCheck command that must exit 0 before traffic switches, if any
     * @param switchCommand command that moves traffic to the new version ({@code switch:}), if any
     * @param rollbackCommand command that restores the previous version ({@code rollback:}), if any
     */
    public record Deployment(
            String environment,
            Strategy strategy,
            Optional<String> healthCheck,
            Optional<String> switchCommand,
            Optional<String> rollbackCommand) {
        public Deployment {
            Objects.requireNonNull(environment, "environment");
            Objects.requireNonNull(strategy, "strategy");
            Objects.requireNonNull(healthCheck, "healthCheck");
            Objects.requireNonNull(switchCommand, "switchCommand");
            Objects.requireNonNull(rollbackCommand, "rollbackCommand");
        }
    }
}
