package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.LogStore;
import io.hybridci.core.port.contract.LogStoreContract;

class InMemoryLogStoreContractTest extends LogStoreContract {
    @Override
    protected LogStore newStore() {
        return new InMemoryLogStore();
    }
}
