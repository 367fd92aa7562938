package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.CredentialStore;
import io.hybridci.core.port.contract.CredentialStoreContract;

class InMemoryCredentialStoreContractTest extends CredentialStoreContract {
    @Override
    protected CredentialStore newStore() {
        return new InMemoryCredentialStore();
    }
}
