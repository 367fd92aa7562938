package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.BuildRepository;
import io.hybridci.core.port.contract.BuildRepositoryContract;

class InMemoryBuildRepositoryContractTest extends BuildRepositoryContract {
    @Override
    protected BuildRepository newRepository() {
        return new InMemoryBuildRepository();
    }
}
