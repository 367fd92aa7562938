package io.hybridci.aws.dynamodb;

import io.hybridci.core.port.CredentialStore;
import io.hybridci.core.port.contract.CredentialStoreContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalDynalite.class)
class DynamoDbCredentialStoreIT extends CredentialStoreContract {
    @Override
    protected CredentialStore newStore() {
        var tables = LocalDynalite.freshTables();
        return new DynamoDbCredentialStore(LocalDynalite.client(), tables.state(),
                new InMemoryKeyProtector(), "system:api",
                java.time.Clock.systemUTC());
    }
}
