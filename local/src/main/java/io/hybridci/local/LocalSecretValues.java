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

    /** The local value of {@code hybridci/github-token}; put a real token there to let github-status post. */
    static final String LOCAL_GITHUB_TOKEN_PLACEHOLDER = "local-mode-has-no-github-token";

    private LocalSecretValues() {
    }

    static Map<String, String> initialValues(Topology topology, LocalCredentials credentials) {
        Map<String, String> values = new LinkedHashMap<>();
        for (SecretSpec secret : topology.secrets()) {
            String value = switch (secret.name()) {
                case Topology.WEBHOOK_SECRET -> credentials.webhookSecret();
                case Topology.ADMIN_TOKEN_SECRET -> credentials.adminToken();
                case Topology.REGISTRATION_TOKEN_SECRET -> credentials.registrationToken();
                // The secret exists (the topology says so) with a value that names itself rather than a real
                // token; `up --github-api-url` with HYBRIDCI_GITHUB_TOKEN puts a real one in its place.
                case Topology.GITHUB_TOKEN_SECRET -> LOCAL_GITHUB_TOKEN_PLACEHOLDER;
                default -> throw new IllegalStateException("the local cloud does not know how to fill secret " + secret.name());
            };
            values.put(secret.name(), value);
        }
        return values;
    }
}
