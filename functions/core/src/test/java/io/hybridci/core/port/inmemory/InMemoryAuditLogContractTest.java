package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.AuditLog;
import io.hybridci.core.port.contract.AuditLogContract;

class InMemoryAuditLogContractTest extends AuditLogContract {
    @Override
    protected AuditLog newLog() {
        return new InMemoryAuditLog();
    }
}
