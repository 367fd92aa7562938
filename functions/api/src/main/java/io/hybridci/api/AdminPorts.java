package io.hybridci.api;

import io.hybridci.aws.config.AwsClients;
import io.hybridci.aws.config.FunctionConfig;
import io.hybridci.aws.dynamodb.DynamoDbRegistrationTokenCatalog;
import io.hybridci.aws.secrets.SecretsManagerSecretVersions;
import io.hybridci.core.port.CredentialStore;
import io.hybridci.core.port.RegistrationTokenCatalog;
import io.hybridci.core.port.SecretVersions;
import io.hybridci.core.rotation.RotatedSecret;
import io.hybridci.core.rotation.SecretRotation;
import io.hybridci.topology.Topology;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ports only the admin routes use: the registration-token catalog and the secrets' versions. Either may
 * be absent (a test bed, a function without the grant); its routes then answer 503 instead of failing at start.
 */
public record AdminPorts(Optional<RegistrationTokenCatalog> catalog, Optional<SecretVersions> secretVersions,
                         Duration rotationGrace) {

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
                Optional.of(new SecretsManagerSecretVersions(clients.secretsManager())), grace(env));
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
