package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.AgentMessageLedger;
import io.hybridci.core.port.contract.AgentMessageLedgerContract;

class InMemoryAgentMessageLedgerContractTest extends AgentMessageLedgerContract {
    @Override
    protected AgentMessageLedger newLedger() {
        return new InMemoryAgentMessageLedger();
    }
}
