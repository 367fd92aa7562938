package io.hybridci.aws.dynamodb;

import io.hybridci.core.port.DeliveryLog;
import io.hybridci.core.port.contract.DeliveryLogContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalDynalite.class)
class DynamoDbDeliveryLogIT extends DeliveryLogContract {
    @Override
    protected DeliveryLog newLog() {
        var tables = LocalDynalite.freshTables();
        return new DynamoDbDeliveryLog(LocalDynalite.client(), tables.state(), "system:webhook-intake");
    }
}
