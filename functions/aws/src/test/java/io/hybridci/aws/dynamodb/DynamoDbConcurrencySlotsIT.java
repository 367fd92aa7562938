package io.hybridci.aws.dynamodb;

import io.hybridci.core.port.ConcurrencySlots;
import io.hybridci.core.port.contract.ConcurrencySlotsContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalDynalite.class)
class DynamoDbConcurrencySlotsIT extends ConcurrencySlotsContract {
    @Override
    protected ConcurrencySlots newSlots() {
        var tables = LocalDynalite.freshTables();
        return new DynamoDbConcurrencySlots(LocalDynalite.client(), tables.state(), "system:state-reactor");
    }
}
