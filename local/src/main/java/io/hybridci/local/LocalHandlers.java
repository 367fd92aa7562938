package io.hybridci.local;

import io.hybridci.api.ApiConfig;
import io.hybridci.api.ApiHandler;
import io.hybridci.audit.AuditWriterHandler;
import io.hybridci.aws.dynamodb.AesGcmKeyProtector;
import io.hybridci.aws.dynamodb.DynamoDbAgentMessageLedger;
import io.hybridci.aws.dynamodb.DynamoDbAgentRepository;
import io.hybridci.aws.dynamodb.DynamoDbAuditLog;
import io.hybridci.aws.dynamodb.DynamoDbBuildRepository;
import io.hybridci.aws.dynamodb.DynamoDbCredentialStore;
import io.hybridci.aws.dynamodb.DynamoDbDeliveryLog;
import io.hybridci.aws.dynamodb.DynamoDbJobRepository;
import io.hybridci.aws.dynamodb.DynamoDbLogStore;
import io.hybridci.aws.dynamodb.DynamoDbSecurityLog;
import io.hybridci.aws.dynamodb.KeyProtector;
import io.hybridci.core.auditing.AuditWriter;
import io.hybridci.core.port.CredentialStore;
import io.hybridci.core.port.RegistrationToken;
import io.hybridci.core.reaction.StateReactor;
import io.hybridci.core.security.Tokens;
import io.hybridci.core.statemachine.Actors;
import io.hybridci.local.LocalCloud.Clients;
import io.hybridci.local.SdkPorts.EventBridgePublisher;
import io.hybridci.local.SdkPorts.SecretsManagerSecretSource;
import io.hybridci.local.SdkPorts.SqsJobDispatcher;
import io.hybridci.local.engine.secrets.RotationFunction;
import io.hybridci.planner.BuildPlannerHandler;
import io.hybridci.reactor.StateReactorHandler;
import io.hybridci.topology.EnvironmentNames;
import io.hybridci.topology.FunctionSpec;
import io.hybridci.topology.Topology;
import io.hybridci.updater.JobUpdaterHandler;
import io.hybridci.webhook.WebhookIntakeHandler;

import java.time.Clock;
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

    private final Clients clients;
    private final LocalEnvironment environment;
    private final KeyProtector keyProtector;
    private final Clock clock;

    private LocalHandlers(Clients clients, LocalEnvironment environment, KeyProtector keyProtector, Clock clock) {
        this.clients = clients;
        this.environment = environment;
        this.keyProtector = keyProtector;
        this.clock = clock;
    }

    static LocalHandlers create(Clients clients, LocalEnvironment environment, LocalCredentials credentials, Clock clock) {
        return new LocalHandlers(clients, environment, AesGcmKeyProtector.fromSecret(credentials.keyProtectionSecret()), clock);
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
        Object handler = switch (function.name()) {
            case Topology.WEBHOOK_INTAKE -> new WebhookIntakeHandler(secretSource(env),
                    new DynamoDbDeliveryLog(clients.dynamoDb(), state(env), actor(function)), events(env), clock);
            case Topology.API -> new ApiHandler(builds(env), jobs(env), agents(env), credentialStore(env),
                    new DynamoDbLogStore(clients.dynamoDb(), table(env, Topology.LOGS_TABLE)),
                    new DynamoDbAuditLog(clients.dynamoDb(), table(env, Topology.AUDIT_TABLE)),
                    events(env), secretSource(env), ApiConfig.fromEnv(env), clock);
            case Topology.BUILD_PLANNER -> new BuildPlannerHandler(builds(env), jobs(env), clock);
            case Topology.STATE_REACTOR -> new StateReactorHandler(new StateReactor(jobs(env), builds(env),
                    new SqsJobDispatcher(clients.sqs(), jobQueueUrls()), events(env), clock));
            case Topology.AUDIT_WRITER -> new AuditWriterHandler(new AuditWriter(
                    new DynamoDbAuditLog(clients.dynamoDb(), table(env, Topology.AUDIT_TABLE))));
            case Topology.JOB_UPDATER -> new JobUpdaterHandler(jobs(env), agents(env), credentialStore(env),
                    new DynamoDbAgentMessageLedger(clients.dynamoDb(), state(env), actor(function)),
                    new DynamoDbLogStore(clients.dynamoDb(), table(env, Topology.LOGS_TABLE)),
                    new DynamoDbSecurityLog(clients.dynamoDb(), state(env), actor(function)), clock);
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

    /** The rotation entry point of a rotation handler; none until secret-rotator exists. */
    Optional<RotationFunction> rotationFunction(FunctionSpec function, Object handler) {
        return Optional.empty();
    }

    private static String actor(FunctionSpec function) {
        return Actors.system(function.name());
    }

    private DynamoDbBuildRepository builds(Map<String, String> env) {
        return new DynamoDbBuildRepository(clients.dynamoDb(), state(env));
    }

    private DynamoDbJobRepository jobs(Map<String, String> env) {
        return new DynamoDbJobRepository(clients.dynamoDb(), state(env), new HashSet<>(environment.topology().agentQueues()));
    }

    private DynamoDbAgentRepository agents(Map<String, String> env) {
        return new DynamoDbAgentRepository(clients.dynamoDb(), state(env));
    }

    private CredentialStore credentialStore(Map<String, String> env) {
        return new DynamoDbCredentialStore(clients.dynamoDb(), state(env), keyProtector,
                env.get(EnvironmentNames.HYBRIDCI_FUNCTION) == null ? Actors.system("local")
                        : Actors.system(env.get(EnvironmentNames.HYBRIDCI_FUNCTION)), clock);
    }

    private EventBridgePublisher events(Map<String, String> env) {
        return new EventBridgePublisher(clients.eventBridge(), required(env, EnvironmentNames.EVENT_BUS_NAME));
    }

    private SecretsManagerSecretSource secretSource(Map<String, String> env) {
        return new SecretsManagerSecretSource(clients.secretsManager(), env.get(EnvironmentNames.WEBHOOK_SECRET_ID),
                env.get(EnvironmentNames.ADMIN_TOKEN_SECRET_ID));
    }

    private Map<String, String> jobQueueUrls() {
        Map<String, String> urls = new java.util.LinkedHashMap<>();
        for (String agentQueue : environment.topology().agentQueues()) {
            urls.put(agentQueue, environment.queueUrls().get(Topology.jobQueueName(agentQueue)));
        }
        return urls;
    }

    private static String state(Map<String, String> env) {
        return table(env, Topology.STATE_TABLE);
    }

    private static String table(Map<String, String> env, String logicalTable) {
        return required(env, EnvironmentNames.forTable(logicalTable));
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) throw new IllegalStateException("environment variable " + name + " is not set");
        return value;
    }
}
