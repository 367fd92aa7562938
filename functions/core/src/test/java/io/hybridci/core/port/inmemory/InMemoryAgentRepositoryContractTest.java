package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.AgentRepository;
import io.hybridci.core.port.contract.AgentRepositoryContract;

class InMemoryAgentRepositoryContractTest extends AgentRepositoryContract {
    @Override
    protected AgentRepository newRepository() {
        return new InMemoryAgentRepository();
    }
}
