package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.SecretVersions;
import io.hybridci.core.port.contract.SecretVersionsContract;
import java.time.Clock;

class InMemorySecretVersionsContractTest extends SecretVersionsContract {
    @Override
    protected SecretVersions newStoreWithSecret() {
        InMemorySecretVersions versions = new InMemorySecretVersions(Clock.systemUTC());
        versions.create(secretId(), FIRST_VERSION, FIRST_VALUE);
        return versions;
    }

    @Override
    protected String secretId() {
        return "hybridci/contract";
    }
}
