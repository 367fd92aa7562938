package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.SecretSource;
import java.util.List;

/** {@link SecretSource} with fixed values, for tests. */
public record StaticSecretSource(List<String> webhookSecrets, List<String> adminTokenHashes) implements SecretSource {
    public StaticSecretSource {
        webhookSecrets = List.copyOf(webhookSecrets);
        adminTokenHashes = List.copyOf(adminTokenHashes);
    }
}
