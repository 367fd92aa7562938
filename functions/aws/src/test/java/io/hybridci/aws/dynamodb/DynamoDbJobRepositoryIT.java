package io.hybridci.aws.dynamodb;

import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.contract.JobRepositoryContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalDynalite.class)
class DynamoDbJobRepositoryIT extends JobRepositoryContract {
    @Override
    protected JobRepository newRepository() {
        var tables = LocalDynalite.freshTables();
        return new DynamoDbJobRepository(LocalDynalite.client(), tables.state(), QUEUES);
    }
}
