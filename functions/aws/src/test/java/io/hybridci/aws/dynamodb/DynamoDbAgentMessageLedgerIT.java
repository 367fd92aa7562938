package io.hybridci.aws.dynamodb;

import io.hybridci.core.port.AgentMessageLedger;
import io.hybridci.core.port.contract.AgentMessageLedgerContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalDynalite.class)
class DynamoDbAgentMessageLedgerIT extends AgentMessageLedgerContract {
    @Override
    protected AgentMessageLedger newLedger() {
        var tables = LocalDynalite.freshTables();
        return new DynamoDbAgentMessageLedger(LocalDynalite.client(), tables.state(), "system:job-updater");
    }
}
