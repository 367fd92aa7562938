package io.hybridci.core.port.contract;

import static io.hybridci.core.port.contract.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hybridci.core.port.AgentMessageLedger;
import io.hybridci.core.port.AgentMessageLedger.Outcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link AgentMessageLedger} must do. */
public abstract class AgentMessageLedgerContract {

    protected abstract AgentMessageLedger newLedger();

    private AgentMessageLedger ledger;

    @BeforeEach
    void setUpLedger() {
        ledger = newLedger();
    }

    @Test
    void shouldTellFirstRedeliveryAndReplay_whenSameSeqArrivesAgain() {
        String jobId = Fixtures.uniqueId("job");

        assertEquals(Outcome.FIRST, ledger.record(jobId, 1, "msg-1", T0, T0.plusSeconds(86400)));
        assertEquals(Outcome.REDELIVERY, ledger.record(jobId, 1, "msg-1", T0.plusSeconds(30), T0.plusSeconds(86400)));
        assertEquals(Outcome.REPLAY, ledger.record(jobId, 1, "msg-evil", T0.plusSeconds(60), T0.plusSeconds(86400)));
    }

    @Test
    void shouldKeepSeqsAndJobsApart_whenRecorded() {
        String jobId = Fixtures.uniqueId("job");
        ledger.record(jobId, 1, "msg-1", T0, T0.plusSeconds(86400));

        assertEquals(Outcome.FIRST, ledger.record(jobId, 2, "msg-2", T0, T0.plusSeconds(86400)));
        assertEquals(Outcome.FIRST, ledger.record(Fixtures.uniqueId("job"), 1, "msg-1", T0, T0.plusSeconds(86400)));
    }
}
