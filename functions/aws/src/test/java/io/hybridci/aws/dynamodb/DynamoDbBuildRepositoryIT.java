package io.hybridci.aws.dynamodb;

import io.hybridci.core.port.BuildRepository;
import io.hybridci.core.port.contract.BuildRepositoryContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalDynalite.class)
class DynamoDbBuildRepositoryIT extends BuildRepositoryContract {
    @Override
    protected BuildRepository newRepository() {
        var tables = LocalDynalite.freshTables();
        return new DynamoDbBuildRepository(LocalDynalite.client(), tables.state());
    }
}
