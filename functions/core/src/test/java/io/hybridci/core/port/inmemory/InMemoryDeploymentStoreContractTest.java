package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.DeploymentStore;
import io.hybridci.core.port.contract.DeploymentStoreContract;

class InMemoryDeploymentStoreContractTest extends DeploymentStoreContract {
    @Override
    protected DeploymentStore newStore() {
        return new InMemoryDeploymentStore();
    }
}
