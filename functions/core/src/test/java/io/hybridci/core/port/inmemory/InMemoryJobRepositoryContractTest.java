package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.contract.JobRepositoryContract;

class InMemoryJobRepositoryContractTest extends JobRepositoryContract {
    @Override
    protected JobRepository newRepository() {
        return new InMemoryJobRepository();
    }
}
