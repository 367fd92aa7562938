package io.hybridci.audit;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.core.audit.AuditRecord;
import io.hybridci.core.audit.VerifyResult;
import io.hybridci.core.auditing.AuditVerification;
import io.hybridci.core.auditing.AuditVerifier;
import io.hybridci.core.auditing.AuditWriter;
import io.hybridci.core.job.JobIds;
import io.hybridci.core.port.AuditLog;
import io.hybridci.core.port.Page;
import io.hybridci.core.port.inmemory.InMemoryAuditLog;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditWriterHandlerTest {

    static final String JOB_CHAIN = "job:" + JobIds.of("0b6a4c1e-5d2f-3a8b-9c7d-1e2f3a4b5c6d", "test", 1);
    static final String AGENT_CHAIN = "agent:a-7f3c9d";

    final InMemoryAuditLog log = new InMemoryAuditLog();
    final AuditWriterHandler handler = new AuditWriterHandler(new AuditWriter(log));
    final DynamodbEvent lifecycle = EventLoader.loadDynamoDbEvent("events/dynamodb/job-lifecycle.json");

    @Test
    void shouldAppendContiguousRecordsPerChain_whenItemsAreInsertedModifiedAndRemoved() {
        StreamsEventResponse response = handler.handleRequest(lifecycle, null);

        assertEquals(List.of(), response.getBatchItemFailures());
        List<AuditRecord> job = records(JOB_CHAIN);
        assertEquals(List.of(1L, 2L, 3L), job.stream().map(AuditRecord::seq).toList());
        assertEquals(List.of("created:QUEUED", "state:QUEUED->ASSIGNED", "removed"),
                job.stream().map(AuditRecord::action).toList());
        assertEquals(List.of("system:build-planner", "agent:a-7f3c9d", "agent:a-7f3c9d"),
                job.stream().map(AuditRecord::actor).toList());
        assertEquals(lifecycle.getRecords().get(2).getDynamodb().getApproximateCreationDateTime().toInstant(),
                job.get(1).at());
        assertTrue(job.get(2).after().isNull());
        assertEquals(1, records(AGENT_CHAIN).size());
        assertEquals(new AuditVerification(true, 2, 4, Optional.empty()), new AuditVerifier(log).verify());
    }

    @Test
    void shouldKeepSecretsHashesAndKeysOutOfTheTrail_whenAnAgentRegisters() {
        handler.handleRequest(lifecycle, null);

        JsonNode agent = records(AGENT_CHAIN).getFirst().after();
        assertNull(agent.get("signingKeyCiphertext"));
        assertNull(agent.get("sessionTokenHash"));
        assertNull(agent.get("pk"));
        assertNull(agent.get("gsi2sk"));
        assertEquals("CONNECTED", agent.get("state").textValue());
        assertEquals("[\"docker\",\"linux\"]", agent.get("tags").toString());
    }

    @Test
    void shouldAppendNothing_whenTheBatchIsRedelivered() {
        handler.handleRequest(lifecycle, null);

        StreamsEventResponse again = handler.handleRequest(lifecycle, null);

        assertEquals(List.of(), again.getBatchItemFailures());
        assertEquals(3, records(JOB_CHAIN).size());
        assertEquals(1, records(AGENT_CHAIN).size());
    }

    @Test
    void shouldReportTheFailedRecordAndEveryLaterOne_whenAnAppendFails() {
        AuditWriterHandler failing = new AuditWriterHandler(new AuditWriter(new FailingOnChain(log, JOB_CHAIN)));

        StreamsEventResponse response = failing.handleRequest(lifecycle, null);

        assertEquals(List.of(seq(1), seq(2), seq(3)), response.getBatchItemFailures().stream()
                .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList());
        assertEquals(1, records(AGENT_CHAIN).size());
        assertEquals(List.of(), records(JOB_CHAIN));
    }

    @Test
    void shouldDetectTheTamperedRecord_whenSomeoneRewroteTheActor() {
        handler.handleRequest(lifecycle, null);
        AuditRecord original = records(JOB_CHAIN).get(1);
        log.replace(new AuditRecord(original.chain(), original.seq(), original.at(), "user:mallory", original.entity(),
                original.action(), original.before(), original.after(), original.prevHash(), original.hash()));

        AuditVerification verification = new AuditVerifier(log).verify();

        assertFalse(verification.ok());
        assertEquals(VerifyResult.Problem.HASH_MISMATCH, verification.firstBreak().orElseThrow().problem());
        assertEquals(2, verification.firstBreak().orElseThrow().seq());
    }

    @Test
    void shouldDetectTheDeletedRecord_whenARecordIsMissingFromTheChain() {
        handler.handleRequest(lifecycle, null);

        AuditVerification verification = new AuditVerifier(new HidingSeq(log, JOB_CHAIN, 1)).verify();

        assertFalse(verification.ok());
        VerifyResult.Break found = verification.firstBreak().orElseThrow();
        assertEquals(JOB_CHAIN, found.chain());
        assertEquals(VerifyResult.Problem.SEQ_GAP, found.problem());
        assertEquals(1, found.seq());
    }

    List<AuditRecord> records(String chain) {
        return log.read(chain, 100, Optional.empty()).items();
    }

    String seq(int index) {
        return lifecycle.getRecords().get(index).getDynamodb().getSequenceNumber();
    }

    /** An audit table that refuses writes to one chain, as a throttled or failing table would. */
    record FailingOnChain(InMemoryAuditLog delegate, String chain) implements AuditLog {
        @Override public List<StoredRecord> newest(String chain, int n) { return delegate.newest(chain, n); }
        @Override public Page<String> chains(int limit, Optional<String> cursor) { return delegate.chains(limit, cursor); }
        @Override public Page<AuditRecord> read(String chain, int limit, Optional<String> cursor) { return delegate.read(chain, limit, cursor); }

        @Override
        public boolean append(AuditRecord record, String sourceEventId) {
            if (record.chain().equals(chain)) {
                throw new IllegalStateException("ProvisionedThroughputExceeded (simulated)");
            }
            return delegate.append(record, sourceEventId);
        }
    }

    /** The audit table as it reads after one record was deleted from it. */
    record HidingSeq(InMemoryAuditLog delegate, String chain, long seq) implements AuditLog {
        @Override public List<StoredRecord> newest(String chain, int n) { return delegate.newest(chain, n); }
        @Override public boolean append(AuditRecord record, String sourceEventId) { return delegate.append(record, sourceEventId); }
        @Override public Page<String> chains(int limit, Optional<String> cursor) { return delegate.chains(limit, cursor); }

        @Override
        public Page<AuditRecord> read(String chain, int limit, Optional<String> cursor) {
            Page<AuditRecord> page = delegate.read(chain, limit, cursor);
            return chain.equals(this.chain)
                    ? new Page<>(page.items().stream().filter(record -> record.seq() != seq).toList(), page.next())
                    : page;
        }
    }
}
