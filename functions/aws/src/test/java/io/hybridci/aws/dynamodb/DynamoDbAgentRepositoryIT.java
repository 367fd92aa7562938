package io.hybridci.aws.dynamodb;

import io.hybridci.core.port.AgentRepository;
import io.hybridci.core.port.contract.AgentRepositoryContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalDynalite.class)
class DynamoDbAgentRepositoryIT extends AgentRepositoryContract {
    @Override
    protected AgentRepository newRepository() {
        var tables = LocalDynalite.freshTables();
        return new DynamoDbAgentRepository(LocalDynalite.client(), tables.state());
    }
}
