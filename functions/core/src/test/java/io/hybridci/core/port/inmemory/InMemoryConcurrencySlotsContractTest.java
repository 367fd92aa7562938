package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.ConcurrencySlots;
import io.hybridci.core.port.contract.ConcurrencySlotsContract;

class InMemoryConcurrencySlotsContractTest extends ConcurrencySlotsContract {
    @Override
    protected ConcurrencySlots newSlots() {
        return new InMemoryConcurrencySlots();
    }
}
