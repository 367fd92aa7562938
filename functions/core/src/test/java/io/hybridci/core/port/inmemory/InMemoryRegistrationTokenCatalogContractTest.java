package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.contract.RegistrationTokenCatalogContract;

class InMemoryRegistrationTokenCatalogContractTest extends RegistrationTokenCatalogContract {
    @Override
    protected Ports newPorts() {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        return new Ports(store, store);
    }
}
