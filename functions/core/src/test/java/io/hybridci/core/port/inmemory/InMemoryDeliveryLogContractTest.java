package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.DeliveryLog;
import io.hybridci.core.port.contract.DeliveryLogContract;

class InMemoryDeliveryLogContractTest extends DeliveryLogContract {
    @Override
    protected DeliveryLog newLog() {
        return new InMemoryDeliveryLog();
    }
}
