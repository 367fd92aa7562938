package io.hybridci.api;

import io.hybridci.aws.config.AwsClients;
import io.hybridci.aws.config.DeadLetterQueuesConfig;
import io.hybridci.aws.sqs.SqsDeadLetterReader;
import io.hybridci.core.deadletter.DeadLetters;
import io.hybridci.aws.config.FunctionConfig;
import io.hybridci.aws.dynamodb.DynamoDbRegistrationTokenCatalog;
import io.hybridci.aws.secrets.SecretsManagerSecretVersions;
import io.hybridci.core.port.CredentialStore;
import io.hybridci.core.port.RegistrationTokenCatalog;
import io.hybridci.core.port.SecretVersions;
import io.hybridci.core.rotation.RotatedSecret;
import io.hybridci.core.rotation.SecretRotation;
import io.hybridci.topology.Topology;

import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The ports only the admin routes use: the registration-token catalog and the secrets' versions. Either may
 * be absent (a test bed, a function without the grant); its routes then answer 503 instead of failing at start.
 */
public record AdminPorts(Optional<RegistrationTokenCatalog> catalog, Optional<SecretVersions> secretVersions,
                         Duration rotationGrace, Optional<DeadLetters> deadLetters) {

    /** Without the dead-letter queues (GET /api/v1/dead-letters answers 503). */
    public AdminPorts(Optional<RegistrationTokenCatalog> catalog, Optional<SecretVersions> secretVersions,
                      Duration rotationGrace) {
        this(catalog, secretVersions, rotationGrace, Optional.empty());
    }

    /** A copy that shows these dead-letter queues. */
    public AdminPorts withDeadLetters(DeadLetters newDeadLetters) {
        return new AdminPorts(catalog, secretVersions, rotationGrace, Optional.of(newDeadLetters));
    }

    /**
     * The dead-letter queues of {@code DEAD_LETTER_QUEUES}, peeked through {@code sqs} (asked for at the first peek, so a
     * cold start builds no SQS client); empty when the variable is absent. The local cloud builds them the same way.
     */
    public static Optional<DeadLetters> deadLetters(Map<String, String> env, Supplier<SqsClient> sqs) {
        return DeadLetterQueuesConfig.fromEnv(env).map(config ->
                new DeadLetters(config.queues(), new SqsDeadLetterReader(sqs, config.queueUrls())));
    }

    /** Hours a webhook-secret rotation begun by an admin waits for {@code secrets finish}; default 24. */
    public static final String ROTATION_GRACE_HOURS = "HYBRIDCI_ROTATION_GRACE_HOURS";

    /** What the older constructor gets: the catalog when the credential store is one too (in-memory), nothing else. */
    static AdminPorts from(CredentialStore credentials) {
        return new AdminPorts(credentials instanceof RegistrationTokenCatalog catalog ? Optional.of(catalog) : Optional.empty(),
                Optional.empty(), SecretRotation.DEFAULT_GRACE);
    }

    /** The AWS adapters, from the function's environment (state table, Secrets Manager). */
    public static AdminPorts fromEnvironment(Map<String, String> env, Clock clock) {
        FunctionConfig config = FunctionConfig.fromEnv(env);
        AwsClients clients = AwsClients.from(config);
        return new AdminPorts(config.stateTable().map(table -> (RegistrationTokenCatalog)
                        new DynamoDbRegistrationTokenCatalog(clients.dynamoDb(), table, config.systemActor(), clock)),
                Optional.of(new SecretsManagerSecretVersions(clients.secretsManager())), grace(env),
                deadLetters(env, clients::sqs));
    }

    static Duration grace(Map<String, String> env) {
        String hours = env.get(ROTATION_GRACE_HOURS);
        if (hours == null || hours.isBlank()) {
            return SecretRotation.DEFAULT_GRACE;
        }
        try {
            return Duration.ofHours(Long.parseLong(hours.trim()));
        } catch (NumberFormatException notHours) {
            throw new IllegalStateException(ROTATION_GRACE_HOURS + " must be a whole number of hours");
        }
    }

    /** The webhook secret's rotation (the only one an admin starts through the API). */
    Optional<SecretRotation> rotation(Clock clock) {
        return secretVersions.map(versions -> new SecretRotation(versions,
                List.<RotatedSecret>of(new RotatedSecret.WebhookSecret(Topology.WEBHOOK_SECRET)), rotationGrace, clock));
    }
}
