package io.hybridci.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.hybridci.topology.EnvironmentNames;
import io.hybridci.topology.Topology;
import io.hybridci.topology.TopologyCheck;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CDK app: one {@link HybridCiStack} built from the standard topology. Run through
 * {@code cdk.json} ({@code npx cdk synth}) or {@code infra-cdk/synth.sh}.
 *
 * <p>Context (docs/deploy.md): {@value #AGENT_QUEUES_CONTEXT} (comma-separated, default
 * {@code default}), {@value #PRODUCTION_CONTEXT} ({@code true} adds deletion protection),
 * {@value #ALARM_EMAIL_CONTEXT} (alarm notifications), {@value #ROOT_CONTEXT} (repository root,
 * default the {@code hybridci.root} system property, else the working directory),
 * {@value #SIGN_IN_DOMAIN_CONTEXT} (the Cognito hosted UI's domain prefix, default {@code hybridci-<account>}),
 * and the functions' optional settings of {@link #FUNCTION_SETTINGS} (e.g. {@code hybridci:cancelSupersededBranches}).
 */
public final class HybridCiApp {

    /** Context key of the comma-separated agent queue names. */
    public static final String AGENT_QUEUES_CONTEXT = "hybridci:agentQueues";
    /** Context key: {@code true} for the production stack. */
    public static final String PRODUCTION_CONTEXT = "hybridci:production";
    /** Context key: the e-mail address subscribed to alarm notifications. */
    public static final String ALARM_EMAIL_CONTEXT = "hybridci:alarmEmail";
    /** Context key: the repository root, where the function jars are. */
    public static final String ROOT_CONTEXT = "hybridci:root";
    /** Context key: the Cognito hosted UI's domain prefix (unique per region across all AWS accounts). */
    public static final String SIGN_IN_DOMAIN_CONTEXT = "hybridci:signInDomainPrefix";
    /**
     * Context keys of the functions' optional settings → (function, environment variable). Absent → the variable
     * is not set, and the function's default applies.
     */
    public static final Map<String, FunctionSetting> FUNCTION_SETTINGS = Map.of(
            "hybridci:cancelSupersededBranches",
            new FunctionSetting(Topology.BUILD_PLANNER, EnvironmentNames.CANCEL_SUPERSEDED_BRANCHES),
            "hybridci:githubApiUrl", new FunctionSetting(Topology.GITHUB_STATUS, EnvironmentNames.GITHUB_API_URL),
            "hybridci:dashboardUrl", new FunctionSetting(Topology.GITHUB_STATUS, EnvironmentNames.DASHBOARD_URL),
            "hybridci:githubStatusPerJob", new FunctionSetting(Topology.GITHUB_STATUS, EnvironmentNames.GITHUB_STATUS_PER_JOB),
            "hybridci:githubStatusContext", new FunctionSetting(Topology.GITHUB_STATUS, "GITHUB_STATUS_CONTEXT"));

    /** Where a context value goes: an environment variable of one function. */
    public record FunctionSetting(String function, String variable) {}

    /** The stack name (and the prefix of queue and schedule names). */
    public static final String STACK_NAME = "HybridCi";

    private HybridCiApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        build(app);
        app.synth();
    }

    /** The stack this app deploys, with the AwsSolutions checks applied at synth. */
    static HybridCiStack build(App app) {
        Topology topology = withFunctionSettings(Topology.standard(agentQueues(app.getNode().tryGetContext(AGENT_QUEUES_CONTEXT))),
                app.getNode()::tryGetContext);
        HybridCiStack stack = new HybridCiStack(app, STACK_NAME, StackProps.builder()
                .description("Hybrid CI control plane: functions, queues, tables, event bus")
                .build(), topology, settings(app));
        // A new finding fails `cdk synth` as it fails NagTest: nobody deploys an unreviewed exception.
        Aspects.of(app).add(new AwsSolutionsChecks());
        return stack;
    }

    static HybridCiSettings settings(App app) {
        Object root = app.getNode().tryGetContext(ROOT_CONTEXT);
        FunctionJars jars = root == null ? FunctionJars.fromSystemProperty() : FunctionJars.under(Path.of(root.toString()));
        return new HybridCiSettings(production(app.getNode().tryGetContext(PRODUCTION_CONTEXT)),
                alarmEmail(app.getNode().tryGetContext(ALARM_EMAIL_CONTEXT)), jars,
                signInDomainPrefix(app.getNode().tryGetContext(SIGN_IN_DOMAIN_CONTEXT)));
    }

    /** {@code topology} with the {@link #FUNCTION_SETTINGS} the context sets (blank values are ignored). */
    static Topology withFunctionSettings(Topology topology, java.util.function.Function<String, Object> context) {
        Topology configured = topology;
        for (Map.Entry<String, FunctionSetting> entry : new java.util.TreeMap<>(FUNCTION_SETTINGS).entrySet()) {
            Object value = context.apply(entry.getKey());
            if (value != null && !value.toString().isBlank()) {
                configured = configured.withFunctionEnvironment(entry.getValue().function(), entry.getValue().variable(),
                        value.toString().trim());
            }
        }
        return configured;
    }

    /** Cognito's rule for a prefix: lower-case letters, digits and inner hyphens, without aws, amazon or cognito. */
    static Optional<String> signInDomainPrefix(Object contextValue) {
        if (contextValue == null || contextValue.toString().isBlank()) {
            return Optional.empty();
        }
        String prefix = contextValue.toString().trim();
        if (!prefix.matches("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?") || prefix.matches(".*(aws|amazon|cognito).*")) {
            throw new IllegalArgumentException("context " + SIGN_IN_DOMAIN_CONTEXT + "=" + prefix + " is not a Cognito "
                    + "domain prefix (a-z, 0-9 and inner '-', at most 63, without aws, amazon or cognito)");
        }
        return Optional.of(prefix);
    }

    /** {@code true} (boolean or string, as `-c hybridci:production=true` passes it) or nothing else. */
    static boolean production(Object contextValue) {
        return contextValue != null && Boolean.parseBoolean(contextValue.toString().trim());
    }

    static Optional<String> alarmEmail(Object contextValue) {
        if (contextValue == null || contextValue.toString().isBlank()) {
            return Optional.empty();
        }
        String email = contextValue.toString().trim();
        if (!email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw new IllegalArgumentException("context " + ALARM_EMAIL_CONTEXT + "=" + email + " is not an e-mail address");
        }
        return Optional.of(email);
    }

    /**
     * Parses the agent-queue context value and refuses an inconsistent topology before anything is
     * synthesized: a bad queue name should fail here, not in CloudFormation.
     */
    static List<String> agentQueues(Object contextValue) {
        if (contextValue == null) {
            return Topology.DEFAULT_AGENT_QUEUES;
        }
        List<String> queues = Arrays.stream(contextValue.toString().split(","))
                .map(String::trim).filter(name -> !name.isEmpty()).toList();
        List<String> problems = TopologyCheck.problems(Topology.standard(queues));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("context " + AGENT_QUEUES_CONTEXT + "=" + contextValue
                    + " gives an inconsistent topology: " + problems);
        }
        return queues;
    }
}
