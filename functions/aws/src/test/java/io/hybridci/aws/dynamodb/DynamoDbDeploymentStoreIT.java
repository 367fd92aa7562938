package io.hybridci.aws.dynamodb;

import io.hybridci.core.port.DeploymentStore;
import io.hybridci.core.port.contract.DeploymentStoreContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalDynalite.class)
class DynamoDbDeploymentStoreIT extends DeploymentStoreContract {
    @Override
    protected DeploymentStore newStore() {
        return new DynamoDbDeploymentStore(LocalDynalite.client(), LocalDynalite.freshTables().state());
    }
}
