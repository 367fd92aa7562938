package io.hybridci.aws.dynamodb;

import io.hybridci.core.port.AuditLog;
import io.hybridci.core.port.contract.AuditLogContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalDynalite.class)
class DynamoDbAuditLogIT extends AuditLogContract {
    @Override
    protected AuditLog newLog() {
        var tables = LocalDynalite.freshTables();
        return new DynamoDbAuditLog(LocalDynalite.client(), tables.audit());
    }
}
