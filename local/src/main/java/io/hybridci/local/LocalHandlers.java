package io.hybridci.local;

import io.hybridci.api.AdminPorts;
import io.hybridci.api.ApiConfig;
import io.hybridci.api.ApiHandler;
import io.hybridci.audit.AuditWriterHandler;
import io.hybridci.aws.config.Adapters;
import io.hybridci.aws.config.FunctionConfig;
import io.hybridci.aws.dynamodb.DynamoDbAgentMessageLedger;
import io.hybridci.aws.dynamodb.DynamoDbAgentRepository;
import io.hybridci.aws.dynamodb.DynamoDbAuditLog;
import io.hybridci.aws.dynamodb.DynamoDbBuildRepository;
import io.hybridci.aws.dynamodb.DynamoDbConcurrencySlots;
import io.hybridci.aws.dynamodb.DynamoDbCredentialStore;
import io.hybridci.aws.dynamodb.DynamoDbDeliveryLog;
import io.hybridci.aws.dynamodb.DynamoDbDeploymentStore;
import io.hybridci.aws.dynamodb.DynamoDbJobRepository;
import io.hybridci.aws.dynamodb.DynamoDbLogStore;
import io.hybridci.aws.dynamodb.DynamoDbRegistrationTokenCatalog;
import io.hybridci.aws.dynamodb.DynamoDbSecurityLog;
import io.hybridci.aws.dynamodb.KeyProtector;
import io.hybridci.aws.dynamodb.KmsKeyProtector;
import io.hybridci.aws.eventbridge.EventBridgeEventPublisher;
import io.hybridci.aws.github.GithubReporters;
import io.hybridci.aws.github.GithubStatusConfig;
import io.hybridci.aws.secrets.SecretsManagerSecretSource;
import io.hybridci.aws.secrets.SecretsManagerSecretVersions;
import io.hybridci.aws.sqs.SqsJobDispatcher;
import io.hybridci.core.port.AgentMessageLedger;
import io.hybridci.core.port.AgentRepository;
import io.hybridci.core.port.AuditLog;
import io.hybridci.core.port.BuildRepository;
import io.hybridci.core.port.DeliveryLog;
import io.hybridci.core.port.DeploymentStore;
import io.hybridci.core.port.EventPublisher;
import io.hybridci.core.port.JobDispatcher;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.LogStore;
import io.hybridci.core.port.RegistrationTokenCatalog;
import io.hybridci.core.port.SecurityLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import io.hybridci.core.auditing.AuditWriter;
import io.hybridci.core.port.ConcurrencySlots;
import io.hybridci.core.port.CredentialStore;
import io.hybridci.core.port.RegistrationToken;
import io.hybridci.core.policy.CancelSuperseded;
import io.hybridci.core.reaction.StateReactor;
import io.hybridci.core.security.Tokens;
import io.hybridci.core.status.BuildStatusReporting;
import io.hybridci.local.LocalCloud.Clients;
import io.hybridci.local.engine.secrets.RotationFunction;
import io.hybridci.planner.BuildPlannerHandler;
import io.hybridci.reactor.StateReactorHandler;
import io.hybridci.reaper.ReaperHandler;
import io.hybridci.rotator.RotatorConfig;
import io.hybridci.rotator.SecretRotationEvent;
import io.hybridci.rotator.SecretRotatorHandler;
import io.hybridci.status.GithubStatusHandler;
import io.hybridci.topology.EnvironmentNames;
import io.hybridci.core.reaping.ReaperSettings;
import io.hybridci.topology.FunctionSpec;
import io.hybridci.topology.Topology;
import io.hybridci.updater.JobUpdaterHandler;
import io.hybridci.webhook.WebhookIntakeHandler;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds every function's handler through its collaborator constructor, as the local cloud's stand-in for
 * each handler's no-argument (Lambda) constructor: the same adapters, on the shared clients, configured
 * from the function's own environment ({@link LocalEnvironment}, the variable names CDK sets in AWS).
 */
final class LocalHandlers {

    private static final Duration SECRET_CACHE = Duration.ofSeconds(5);

    private final Clients clients;
    private final LocalEnvironment environment;
    private final Clock clock;
    private final Optional<GithubTarget> github;

    /**
     * Where github-status reports locally.
     *
     * @param apiUrl       its {@code GITHUB_API_URL} (in place of the topology's api.github.com)
     * @param dashboardUrl its {@code DASHBOARD_URL}: the gateway, which serves the dashboard the statuses link to
     */
    record GithubTarget(URI apiUrl, URI dashboardUrl) {
    }

    private LocalHandlers(Clients clients, LocalEnvironment environment, Clock clock, Optional<GithubTarget> github) {
        this.clients = clients;
        this.environment = environment;
        this.clock = clock;
        this.github = github;
    }

    static LocalHandlers create(Clients clients, LocalEnvironment environment, Clock clock) {
        return new LocalHandlers(clients, environment, clock, Optional.empty());
    }

    /** As {@link #create}, with github-status reporting to {@code github} (without it, github-status has no handler). */
    static LocalHandlers create(Clients clients, LocalEnvironment environment, Clock clock, Optional<GithubTarget> github) {
        return new LocalHandlers(clients, environment, clock, github);
    }

    /**
     * Stores the registration token of the data dir (as its hash) where the api looks tokens up; a token
     * already there is left as it is, so this is safe at every start.
     */
    void registerCredentials(LocalCredentials credentials) {
        Map<String, String> env = environment.of(environment.topology().function(Topology.API));
        CredentialStore store = credentialStore(env);
        String hash = Tokens.sha256Hex(credentials.registrationToken());
        store.putRegistrationToken(new RegistrationToken("local-" + hash.substring(0, 12), hash,
                "registration-token of the local cloud's data dir", List.of(), clock.instant(), null, false));
    }

    /** The handler of {@code function}, or empty when its module offers none yet. */
    Optional<Object> handlerFor(FunctionSpec function) {
        Map<String, String> env = environment.of(function);
        Adapters adapters = adapters(env);
        Object handler = switch (function.name()) {
            case Topology.WEBHOOK_INTAKE -> new WebhookIntakeHandler(adapters.secrets(), adapters.deliveries(),
                    adapters.events(), clock);
            case Topology.API -> new ApiHandler(adapters.builds(), adapters.jobs(), adapters.agents(), adapters.credentials(),
                    adapters.logs(), adapters.audit(), adapters.events(), adapters.secrets(), adapters.deployments(),
                    ApiConfig.fromEnv(env), new AdminPorts(registrationTokenCatalog(env), Optional.of(new SecretsManagerSecretVersions(clients.secretsManager())),
                            RotatorConfig.fromEnv(env).grace(), AdminPorts.deadLetters(env, clients::sqs)),
                    clock);
            case Topology.BUILD_PLANNER -> new BuildPlannerHandler(adapters, clock,
                    CancelSuperseded.parse(env.get(EnvironmentNames.CANCEL_SUPERSEDED_BRANCHES)));
            case Topology.STATE_REACTOR -> new StateReactorHandler(new StateReactor(adapters.jobs(), adapters.builds(),
                    adapters.dispatcher(), adapters.events(), adapters.concurrencySlots(), adapters.deployments(), clock));
            case Topology.AUDIT_WRITER -> new AuditWriterHandler(new AuditWriter(adapters.audit()));
            case Topology.JOB_UPDATER -> new JobUpdaterHandler(adapters.jobs(), adapters.agents(), adapters.credentials(),
                    adapters.agentMessages(), adapters.logs(), adapters.security(), adapters.deployments(),
                    JobUpdaterHandler.rejectedMessages(env, clients::sqs), clock);
            case Topology.REAPER -> new ReaperHandler(adapters.jobs(), adapters.agents(), adapters.dispatcher(),
                    ReaperSettings.fromEnv(env), clock);
            case Topology.SECRET_ROTATOR -> new SecretRotatorHandler(SecretRotatorHandler.rotation(
                    new SecretsManagerSecretVersions(clients.secretsManager()), adapters.credentials(),
                    registrationTokenCatalog(env).orElseGet(() -> unconfigured(RegistrationTokenCatalog.class)),
                    RotatorConfig.fromEnv(env), clock));
            case Topology.GITHUB_STATUS -> github.map(target -> githubStatus(env, adapters, target)).orElse(null);
            default -> null;
        };
        if (handler != null && !handler.getClass().getName().equals(function.handler())) {
            // The topology names the class Lambda loads in AWS; building another one here would test a
            // different program than the one deployed.
            throw new IllegalStateException(function.name() + ": topology names " + function.handler()
                    + " but the local cloud built " + handler.getClass().getName());
        }
        return Optional.ofNullable(handler);
    }

    /**
     * The function's adapters, configured by {@link FunctionConfig} from its environment exactly as in AWS,
     * but on the shared clients: {@code Adapters.fromEnvironment} would build clients of its own, and those
     * would lack the stream capture that feeds the state-reactor and audit-writer. Ports whose resource the
     * function is not given stay unconfigured (a call fails naming the variable), as {@code Adapters.from} does.
     */
    private Adapters adapters(Map<String, String> env) {
        FunctionConfig config = FunctionConfig.fromEnv(env);
        DynamoDbClient dynamo = clients.dynamoDb();
        String actor = config.systemActor();
        String state = config.stateTable().orElse(null);
        return new Adapters(
                state == null ? unconfigured(BuildRepository.class) : new DynamoDbBuildRepository(dynamo, state),
                state == null ? unconfigured(JobRepository.class) : new DynamoDbJobRepository(dynamo, state, agentQueues()),
                state == null ? unconfigured(AgentRepository.class) : new DynamoDbAgentRepository(dynamo, state),
                state == null ? unconfigured(CredentialStore.class) : new DynamoDbCredentialStore(dynamo, state,
                        // The key from the function's own environment (SIGNING_KEY_ID), on the local KMS: the
                        // adapter and the grant-shaped access are those of AWS.
                        config.signingKeyId().<KeyProtector>map(keyId -> new KmsKeyProtector(clients.kms(), keyId))
                                .orElseGet(() -> unconfigured(KeyProtector.class)), actor, clock),
                state == null ? unconfigured(DeliveryLog.class) : new DynamoDbDeliveryLog(dynamo, state, actor),
                state == null ? unconfigured(AgentMessageLedger.class) : new DynamoDbAgentMessageLedger(dynamo, state, actor),
                config.logsTable().<LogStore>map(table -> new DynamoDbLogStore(dynamo, table)).orElseGet(() -> unconfigured(LogStore.class)),
                config.auditTable().<AuditLog>map(table -> new DynamoDbAuditLog(dynamo, table)).orElseGet(() -> unconfigured(AuditLog.class)),
                state == null ? unconfigured(SecurityLog.class) : new DynamoDbSecurityLog(dynamo, state, actor),
                config.eventBusName().<EventPublisher>map(bus -> new EventBridgeEventPublisher(clients.eventBridge(), bus))
                        .orElseGet(() -> unconfigured(EventPublisher.class)),
                config.jobQueueUrls().isEmpty() ? unconfigured(JobDispatcher.class) : new SqsJobDispatcher(clients.sqs(), config.jobQueueUrls(), config.priorityJobQueueUrls()),
                // Secrets are read at most every 5 s (AWS: 60 s), so a secret changed by hand counts at once.
                new SecretsManagerSecretSource(clients.secretsManager(), config.webhookSecretId().orElse(null),
                        config.adminTokenSecretId().orElse(null), clock, SECRET_CACHE),
                state == null ? unconfigured(ConcurrencySlots.class) : new DynamoDbConcurrencySlots(dynamo, state, actor),
                state == null ? unconfigured(DeploymentStore.class) : new DynamoDbDeploymentStore(dynamo, state));
    }

    /**
     * github-status as its Lambda constructor wires it ({@link GithubStatusConfig} from the environment, the
     * reporter from the credentials secret), but on the shared clients and with the local API and dashboard URLs.
     */
    private GithubStatusHandler githubStatus(Map<String, String> env, Adapters adapters, GithubTarget target) {
        Map<String, String> local = new HashMap<>(env);
        local.put(EnvironmentNames.GITHUB_API_URL, target.apiUrl().toString());
        local.put(EnvironmentNames.DASHBOARD_URL, target.dashboardUrl().toString());
        GithubStatusConfig config = GithubStatusConfig.fromEnv(local);
        return new GithubStatusHandler(new BuildStatusReporting(adapters.builds(), adapters.jobs(),
                GithubReporters.fromSecret(clients.secretsManager(), config.credentialsId(), config.apiUrl()),
                config.statusSettings()));
    }

    private java.util.Set<String> agentQueues() {
        return new HashSet<>(environment.topology().agentQueues());
    }

    /** A port this function has no resource for: any call fails with the port's name. */
    private static <T> T unconfigured(Class<T> port) {
        return port.cast(java.lang.reflect.Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port},
                (self, method, args) -> switch (method.getName()) {
                    case "toString" -> "Unconfigured" + port.getSimpleName();
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    default -> throw new IllegalStateException(port.getSimpleName() + "." + method.getName()
                            + " is not configured for this function (its topology entry does not access the resource)");
                }));
    }

    /**
     * What the local Secrets Manager invokes for a step of RotateSecret: the same handler method the Lambda
     * event reaches in AWS, so a local rotation runs the deployed code path (and throws where it would fail).
     */
    Optional<RotationFunction> rotationFunction(FunctionSpec function, Object handler) {
        if (!(handler instanceof SecretRotatorHandler rotator)) {
            return Optional.empty();
        }
        // The local step names are the wire names (createSecret, ...), as in the Lambda event.
        return Optional.of((step, secretArn, token) -> rotator.handle(new SecretRotationEvent(step.name(), secretArn, token, null)));
    }

    /** The registration-token catalog on the state table, when the function is given the table. */
    private Optional<RegistrationTokenCatalog> registrationTokenCatalog(Map<String, String> env) {
        FunctionConfig config = FunctionConfig.fromEnv(env);
        return config.stateTable().map(table -> new DynamoDbRegistrationTokenCatalog(clients.dynamoDb(), table,
                config.systemActor(), clock));
    }

    private CredentialStore credentialStore(Map<String, String> env) {
        return adapters(env).credentials();
    }
}
