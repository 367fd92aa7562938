package io.hybridci.local;

import io.hybridci.topology.SecretSpec;
import io.hybridci.topology.Topology;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The first value of each Secrets Manager secret of the topology, taken from the credentials files, in the
 * form the functions' secret reader expects: the webhook secret and the tokens as plain secret strings.
 */
final class LocalSecretValues {

    private LocalSecretValues() {
    }

    static Map<String, String> initialValues(Topology topology, LocalCredentials credentials) {
        Map<String, String> values = new LinkedHashMap<>();
        for (SecretSpec secret : topology.secrets()) {
            String value = switch (secret.name()) {
                case Topology.WEBHOOK_SECRET -> credentials.webhookSecret();
                case Topology.ADMIN_TOKEN_SECRET -> credentials.adminToken();
                case Topology.REGISTRATION_TOKEN_SECRET -> credentials.registrationToken();
                default -> throw new IllegalStateException("the local cloud does not know how to fill secret " + secret.name());
            };
            values.put(secret.name(), value);
        }
        return values;
    }
}
