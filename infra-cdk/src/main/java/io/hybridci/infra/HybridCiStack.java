package io.hybridci.infra;

import io.hybridci.schema.RuleDefinition;
import io.hybridci.topology.FunctionSpec;
import io.hybridci.topology.SecretSpec;
import io.hybridci.topology.Topology;
import io.hybridci.topology.TopologyCheck;
import io.hybridci.topology.Trigger.ScheduleTrigger;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every AWS resource of Hybrid CI, built from a {@link Topology}: one construct per concern, each
 * reading the same topology, so AWS and the local cloud cannot drift apart.
 */
public final class HybridCiStack extends Stack {

    private final Topology topology;
    private final DataTables tables;
    private final Queues queues;
    private final Events events;
    private final Secrets secrets;
    private final Functions functions;
    private final HttpEndpoints http;
    private final Monitoring monitoring;
    private final AgentPolicy agentPolicy;
    private final SigningKeys signingKeys;
    private final DashboardHosting dashboard;
    private final UserSignIn signIn;

    public HybridCiStack(Construct scope, String id, StackProps props, Topology topology, HybridCiSettings settings) {
        super(scope, id, props);
        List<String> problems = TopologyCheck.problems(topology);
        if (!problems.isEmpty()) {
            // A stack built from an inconsistent topology would deploy half-wired resources.
            throw new IllegalArgumentException("inconsistent topology: " + problems);
        }
        this.topology = topology;
        this.tables = new DataTables(this, "Tables", topology.tables(), settings.production());
        this.queues = new Queues(this, "Queues", topology.queues());
        this.events = new Events(this, "Events", topology.eventBusName(), queues.queue(Topology.BUS_TARGETS_DLQ));
        keepLogicalId(queues.queue(Topology.BUS_TARGETS_DLQ), BUS_TARGETS_DLQ_LOGICAL_ID);
        this.secrets = new Secrets(this, "Secrets", topology.secrets());
        // Before the functions: those with KmsKeyAccess are granted this key and given its ARN.
        this.signingKeys = new SigningKeys(this, "SigningKeys");
        this.functions = new Functions(this, "Functions", topology, settings.jars(),
                new Functions.Resources(tables, queues, events.bus(), secrets, signingKeys.key()));
        for (RuleDefinition rule : topology.rules()) {
            events.addRule(rule, functions.alias(rule.target()));
        }
        for (FunctionSpec function : topology.functions()) {
            for (ScheduleTrigger schedule : function.triggersOf(ScheduleTrigger.class)) {
                events.addSchedule(schedule.name(), schedule.expression(), functions.alias(function.name()));
            }
            secrets.rotateWith(function, functions.alias(function.name()));
        }
        this.http = new HttpEndpoints(this, "Http");
        // The distribution needs the API as an origin, the app client the distribution's URL as its
        // callback, and the user routes the client's authorizer: hence this order, and routes last.
        this.dashboard = new DashboardHosting(this, "Dashboard", http.api());
        this.signIn = new UserSignIn(this, "SignIn",
                settings.signInDomainPrefix().orElse("hybridci-" + Aws.ACCOUNT_ID), dashboard.url());
        dashboard.forwardTokenEndpoint(signIn);
        http.addRoutes(topology, functions, signIn.authorizer());
        dashboard.deploy(DashboardHosting.publicFolder(settings.jars().root()), dashboardConfig());
        this.monitoring = new Monitoring(this, "Monitoring", topology, functions, queues, settings.alarmEmail());
        Release release = new Release(this, "Release", topology, functions, monitoring);
        this.agentPolicy = new AgentPolicy(this, "Agents", topology, queues);
        NagSuppressions.apply(this, http, release, dashboard, signIn);
        outputs();
    }

    /**
     * The bus targets' DLQ was created by {@link Events} (construct path Events/TargetDlq) before it became a queue of
     * the topology. Its logical id stays the old one: a new id would make CloudFormation create "another" queue of the
     * same name (SQS answers with the existing one) and then delete the old resource, that is the queue itself, with
     * the events in it.
     */
    static final String BUS_TARGETS_DLQ_LOGICAL_ID = "EventsTargetDlq707B4DD7";

    private static void keepLogicalId(software.amazon.awscdk.services.sqs.Queue queue, String logicalId) {
        ((software.amazon.awscdk.CfnResource) queue.getNode().getDefaultChild()).overrideLogicalId(logicalId);
    }

    /**
     * The page's {@code config.json}: where to sign in (OpenID Connect, authorization code + PKCE) and
     * where the API is. The token endpoint is the distribution's own path, so the page stays same-origin.
     */
    private Map<String, Object> dashboardConfig() {
        Map<String, Object> oidc = new LinkedHashMap<>();
        oidc.put("issuer", signIn.issuer());
        oidc.put("clientId", signIn.client().getUserPoolClientId());
        oidc.put("redirectUri", dashboard.url());
        oidc.put("authorizationEndpoint", signIn.hostedUiUrl() + "/oauth2/authorize");
        oidc.put("tokenEndpoint", DashboardHosting.TOKEN_PATH);
        oidc.put("logoutEndpoint", signIn.hostedUiUrl() + "/logout");
        oidc.put("scope", "openid email profile");
        oidc.put("cliRedirectUri", UserSignIn.CLI_CALLBACK_URL);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("mode", "oidc");
        config.put("apiBase", "/api/v1");
        config.put("apiUrl", http.url() + "api/v1");
        config.put("oidc", oidc);
        return config;
    }

    /** URLs and names an operator needs; never a secret value. */
    private void outputs() {
        CfnOutput.Builder.create(this, "ApiUrl")
                .description("Base URL of the HTTP API (agents: --url)")
                .value(http.url()).build();
        CfnOutput.Builder.create(this, "WebhookUrl")
                .description("GitHub webhook payload URL (content type application/json)")
                .value(http.url() + "webhooks/github").build();
        for (SecretSpec spec : topology.secrets()) {
            CfnOutput.Builder.create(this, Names.pascal(spec.name()) + "SecretName")
                    .description(spec.description() + ": the secret's NAME; read the value with the AWS CLI")
                    .value(secrets.secret(spec.name()).getSecretName()).build();
        }
        CfnOutput.Builder.create(this, "DashboardUrl")
                .description("The dashboard (sign in with a user of the user pool)")
                .value(dashboard.url()).build();
        CfnOutput.Builder.create(this, "UserPoolId")
                .description("Cognito user pool of dashboard users: add people to viewer, operator or admin")
                .value(signIn.pool().getUserPoolId()).build();
        CfnOutput.Builder.create(this, "UserPoolClientId")
                .description("The dashboard's app client (public, no secret)")
                .value(signIn.client().getUserPoolClientId()).build();
        CfnOutput.Builder.create(this, "AgentPolicyArn")
                .description("Attach to the IAM user or role your agents run as")
                .value(agentPolicy.policy().getManagedPolicyArn()).build();
        CfnOutput.Builder.create(this, "AlarmTopicArn")
                .description("SNS topic of every alarm")
                .value(monitoring.topic().getTopicArn()).build();
        CfnOutput.Builder.create(this, "SigningKeyArn")
                .description("KMS key that encrypts agents' signing keys")
                .value(signingKeys.key().getKeyArn()).build();
    }

    /** The topology this stack was built from. */
    public Topology topology() {
        return topology;
    }

    public DataTables tables() {
        return tables;
    }

    public Queues queues() {
        return queues;
    }

    public Events events() {
        return events;
    }

    public Functions functions() {
        return functions;
    }

    public Secrets secrets() {
        return secrets;
    }

    public Monitoring monitoring() {
        return monitoring;
    }

    public DashboardHosting dashboard() {
        return dashboard;
    }

    public UserSignIn signIn() {
        return signIn;
    }
}
