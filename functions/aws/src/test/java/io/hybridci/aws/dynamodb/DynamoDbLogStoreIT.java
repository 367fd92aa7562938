package io.hybridci.aws.dynamodb;

import io.hybridci.core.port.LogStore;
import io.hybridci.core.port.contract.LogStoreContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalDynalite.class)
class DynamoDbLogStoreIT extends LogStoreContract {
    @Override
    protected LogStore newStore() {
        var tables = LocalDynalite.freshTables();
        return new DynamoDbLogStore(LocalDynalite.client(), tables.logs());
    }
}
