package io.hybridci.aws.config;

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
import io.hybridci.aws.dynamodb.DynamoDbSecurityLog;
import io.hybridci.aws.dynamodb.KeyProtector;
import io.hybridci.aws.dynamodb.KmsKeyProtector;
import io.hybridci.aws.eventbridge.EventBridgeEventPublisher;
import io.hybridci.aws.secrets.SecretsManagerSecretSource;
import io.hybridci.aws.sqs.SqsJobDispatcher;
import io.hybridci.core.port.AgentMessageLedger;
import io.hybridci.core.port.AgentRepository;
import io.hybridci.core.port.AuditLog;
import io.hybridci.core.port.BuildRepository;
import io.hybridci.core.port.ConcurrencySlots;
import io.hybridci.core.port.CredentialStore;
import io.hybridci.core.port.DeliveryLog;
import io.hybridci.core.port.DeploymentStore;
import io.hybridci.core.port.EventPublisher;
import io.hybridci.core.port.JobDispatcher;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.LogStore;
import io.hybridci.core.port.SecretSource;
import io.hybridci.core.port.SecurityLog;
import io.hybridci.topology.EnvironmentNames;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every port's AWS implementation for one function, built once per container. A handler's
 * no-argument constructor calls {@code this(Adapters.fromEnvironment(System.getenv()))}; the local
 * cloud builds one {@code Adapters} against its local endpoints and shares it between functions.
 *
 * <p>A port whose resource the function is not configured with (a table, queue or secret absent from
 * its environment, because its topology entry does not access it) is a stand-in that throws
 * naming the missing variable: using it is a topology error, and it must say so, not NPE.
 */
public record Adapters(BuildRepository builds, JobRepository jobs, AgentRepository agents,
                       CredentialStore credentials, DeliveryLog deliveries, AgentMessageLedger agentMessages,
                       LogStore logs, AuditLog audit, SecurityLog security, EventPublisher events,
                       JobDispatcher dispatcher, SecretSource secrets, ConcurrencySlots concurrencySlots,
                       DeploymentStore deployments) {

    /** Reads the configuration and builds the clients and adapters, as Lambda's no-arg constructors do. */
    public static Adapters fromEnvironment(Map<String, String> env) {
        FunctionConfig config = FunctionConfig.fromEnv(env);
        return from(AwsClients.from(config), config, Clock.systemUTC());
    }

    public static Adapters from(AwsClients clients, FunctionConfig config, Clock clock) {
        String actor = config.systemActor();
        Optional<String> state = config.stateTable();
        // Only functions given the key (topology KmsKeyAccess) build the KMS client; the others would only
        // meet a signing key by a topology error, and the stand-in says so.
        KeyProtector keys = on(config.signingKeyId(), KeyProtector.class, EnvironmentNames.SIGNING_KEY_ID,
                keyId -> new KmsKeyProtector(clients.kms(), keyId));
        return new Adapters(
                on(state, BuildRepository.class, EnvironmentNames.STATE_TABLE,
                        table -> new DynamoDbBuildRepository(clients.dynamoDb(), table)),
                on(state, JobRepository.class, EnvironmentNames.STATE_TABLE,
                        table -> new DynamoDbJobRepository(clients.dynamoDb(), table, config.jobQueueUrls().keySet())),
                on(state, AgentRepository.class, EnvironmentNames.STATE_TABLE,
                        table -> new DynamoDbAgentRepository(clients.dynamoDb(), table)),
                on(state, CredentialStore.class, EnvironmentNames.STATE_TABLE,
                        table -> new DynamoDbCredentialStore(clients.dynamoDb(), table, keys, actor, clock)),
                on(state, DeliveryLog.class, EnvironmentNames.STATE_TABLE,
                        table -> new DynamoDbDeliveryLog(clients.dynamoDb(), table, actor)),
                on(state, AgentMessageLedger.class, EnvironmentNames.STATE_TABLE,
                        table -> new DynamoDbAgentMessageLedger(clients.dynamoDb(), table, actor)),
                on(config.logsTable(), LogStore.class, EnvironmentNames.LOGS_TABLE,
                        table -> new DynamoDbLogStore(clients.dynamoDb(), table)),
                on(config.auditTable(), AuditLog.class, EnvironmentNames.AUDIT_TABLE,
                        table -> new DynamoDbAuditLog(clients.dynamoDb(), table)),
                on(state, SecurityLog.class, EnvironmentNames.STATE_TABLE,
                        table -> new DynamoDbSecurityLog(clients.dynamoDb(), table, actor)),
                on(config.eventBusName(), EventPublisher.class, EnvironmentNames.EVENT_BUS_NAME,
                        bus -> new EventBridgeEventPublisher(clients.eventBridge(), bus)),
                config.jobQueueUrls().isEmpty()
                        ? missing(JobDispatcher.class, EnvironmentNames.JOB_QUEUE_URLS)
                        : new SqsJobDispatcher(clients.sqs(), config.jobQueueUrls(), config.priorityJobQueueUrls()),
                config.webhookSecretId().isEmpty() && config.adminTokenSecretId().isEmpty()
                        ? missing(SecretSource.class, EnvironmentNames.WEBHOOK_SECRET_ID + " or " + EnvironmentNames.ADMIN_TOKEN_SECRET_ID)
                        : new SecretsManagerSecretSource(clients.secretsManager(), config.webhookSecretId().orElse(null),
                                config.adminTokenSecretId().orElse(null), clock, SecretsManagerSecretSource.DEFAULT_TTL),
                on(state, ConcurrencySlots.class, EnvironmentNames.STATE_TABLE,
                        table -> new DynamoDbConcurrencySlots(clients.dynamoDb(), table, actor)),
                on(state, DeploymentStore.class, EnvironmentNames.STATE_TABLE,
                        table -> new DynamoDbDeploymentStore(clients.dynamoDb(), table)));
    }

    private static <T> T on(Optional<String> resource, Class<T> port, String variable, Function<String, T> build) {
        return resource.map(build).orElseGet(() -> missing(port, variable));
    }

    /** A stand-in for a port the function has no resource for: every call fails naming the variable. */
    static <T> T missing(Class<T> port, String variable) {
        Object proxy = Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (self, method, args) -> {
            return switch (method.getName()) {
                case "toString" -> "Unconfigured" + port.getSimpleName() + "[" + variable + "]";
                case "hashCode" -> System.identityHashCode(self);
                case "equals" -> self == args[0];
                default -> throw new IllegalStateException(port.getSimpleName() + "." + method.getName()
                        + " needs environment variable " + variable + ", which this function is not given");
            };
        });
        return port.cast(proxy);
    }
}
