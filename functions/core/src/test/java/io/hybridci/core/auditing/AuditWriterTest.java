package io.hybridci.core.auditing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.core.audit.AuditChain;
import io.hybridci.core.audit.AuditRecord;
import io.hybridci.core.audit.VerifyResult;
import io.hybridci.core.port.AuditLog;
import io.hybridci.core.port.Page;
import io.hybridci.core.port.inmemory.InMemoryAuditLog;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditWriterTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    final InMemoryAuditLog log = new InMemoryAuditLog();
    final AuditWriter writer = new AuditWriter(log);

    @Test
    void shouldAppendContiguousSeqPerChain_whenAnEntityIsCreatedChangedAndRemoved() {
        writer.write(insert("e1", "job", "j1", job("QUEUED", 1, "system:build-planner")));
        writer.write(modify("e2", "job", "j1", job("QUEUED", 1, "system:build-planner"), job("ASSIGNED", 2, "agent:a1")));
        writer.write(insert("e3", "agent", "a1", json("{\"state\":\"CONNECTED\",\"lastActor\":\"agent:a1\"}")));
        writer.write(remove("e4", "job", "j1", job("ASSIGNED", 2, "agent:a1")));

        List<AuditRecord> chain = log.read("job:j1", 10, Optional.empty()).items();
        assertEquals(List.of(1L, 2L, 3L), chain.stream().map(AuditRecord::seq).toList());
        assertEquals(List.of("created:QUEUED", "state:QUEUED->ASSIGNED", "removed"),
                chain.stream().map(AuditRecord::action).toList());
        assertEquals(List.of("system:build-planner", "agent:a1", "agent:a1"),
                chain.stream().map(AuditRecord::actor).toList());
        assertEquals(chain.get(0).hash(), chain.get(1).prevHash());
        assertTrue(AuditChain.verify(chain).ok());
        assertEquals(1, log.read("agent:a1", 10, Optional.empty()).items().size());
    }

    @Test
    void shouldAppendNothing_whenTheStreamRecordIsRedelivered() {
        StateChange created = insert("e1", "JOB", "j1", job("QUEUED", 1, "system:build-planner"));
        writer.write(created);
        writer.write(modify("e2", "JOB", "j1", job("QUEUED", 1, "x:y"), job("ASSIGNED", 2, "agent:a1")));

        AuditOutcome again = writer.write(created);

        assertEquals(new AuditOutcome.AlreadyRecorded("job:j1", 1), again);
        assertEquals(2, log.read("job:j1", 10, Optional.empty()).items().size());
    }

    @Test
    void shouldCallItUpdated_whenTheStateDidNotChange() {
        AuditOutcome outcome = writer.write(modify("e1", "job", "j1", job("QUEUED", 1, "a:b"), job("QUEUED", 2, "system:state-reactor")));

        assertEquals("updated", ((AuditOutcome.Appended) outcome).record().action());
    }

    @Test
    void shouldLeaveSecretsHashesAndKeysOut_whenAnImageCarriesThem() {
        JsonNode agent = json("""
                {"pk":"AGENT#a1","sk":"AGENT","gsi1pk":"AGENTS","state":"CONNECTED","lastActor":"agent:a1",
                 "signingKeyCiphertext":"c2VjcmV0","sessionTokenHash":"ab12","previousSigningKey":"x",
                 "meta":{"webhookSecret":"s","name":"builder"}}""");

        AuditRecord record = ((AuditOutcome.Appended) writer.write(insert("e1", "agent", "a1", agent))).record();

        assertEquals(json("{\"state\":\"CONNECTED\",\"lastActor\":\"agent:a1\",\"meta\":{\"name\":\"builder\"}}"),
                record.after());
    }

    @Test
    void shouldAppendAfterTheNewHead_whenAnotherWriterWonTheSeq() {
        writer.write(insert("e1", "job", "j1", job("QUEUED", 1, "a:b")));
        AtomicBoolean raced = new AtomicBoolean();
        AuditWriter contended = new AuditWriter(new RacingAuditLog(log, raced));

        AuditOutcome outcome = contended.write(modify("e3", "job", "j1", job("QUEUED", 1, "a:b"), job("ASSIGNED", 2, "agent:a1")));

        assertTrue(raced.get());
        assertEquals(3, ((AuditOutcome.Appended) outcome).record().seq());
        assertTrue(AuditChain.verify(log.read("job:j1", 10, Optional.empty()).items()).ok());
    }

    @Test
    void shouldReportEveryChainIntact_whenNothingWasTouched() {
        writeSomeHistory();

        AuditVerification verification = new AuditVerifier(log).verify();

        assertEquals(new AuditVerification(true, 2, 4, Optional.empty()), verification);
    }

    @Test
    void shouldFindTheAlteredRecord_whenARecordWasTamperedWith() {
        writeSomeHistory();
        AuditRecord original = log.read("job:j1", 10, Optional.empty()).items().get(1);
        log.replace(new AuditRecord(original.chain(), original.seq(), original.at(), "user:mallory", original.entity(),
                original.action(), original.before(), original.after(), original.prevHash(), original.hash()));

        AuditVerification verification = new AuditVerifier(log).verify();

        assertFalse(verification.ok());
        assertEquals(4, verification.records());
        VerifyResult.Break found = verification.firstBreak().orElseThrow();
        assertEquals("job:j1", found.chain());
        assertEquals(2, found.seq());
        assertEquals(VerifyResult.Problem.HASH_MISMATCH, found.problem());
    }

    @Test
    void shouldFindTheGap_whenARecordWasDeleted() {
        writeSomeHistory();
        AuditLog withoutSeq2 = new DeletingAuditLog(log, "job:j1", 2);

        AuditVerification verification = new AuditVerifier(withoutSeq2).verify();

        assertFalse(verification.ok());
        VerifyResult.Break found = verification.firstBreak().orElseThrow();
        assertEquals(VerifyResult.Problem.SEQ_GAP, found.problem());
        assertEquals(2, found.seq());
    }

    // ------------------------------------------------------------------ fixtures

    void writeSomeHistory() {
        writer.write(insert("e1", "job", "j1", job("QUEUED", 1, "a:b")));
        writer.write(modify("e2", "job", "j1", job("QUEUED", 1, "a:b"), job("ASSIGNED", 2, "agent:a1")));
        writer.write(modify("e3", "job", "j1", job("ASSIGNED", 2, "agent:a1"), job("RUNNING", 3, "agent:a1")));
        writer.write(insert("e4", "build", "b1", json("{\"state\":\"CREATED\",\"lastActor\":\"github:octocat\"}")));
    }

    static JsonNode job(String state, int version, String actor) {
        return json("{\"id\":\"j1\",\"state\":\"" + state + "\",\"version\":" + version + ",\"lastActor\":\"" + actor
                + "\",\"pk\":\"JOB#j1\"}");
    }

    static StateChange insert(String eventId, String type, String id, JsonNode image) {
        return new StateChange(eventId, "INSERT", type, id, null, image, T0);
    }

    static StateChange modify(String eventId, String type, String id, JsonNode before, JsonNode after) {
        return new StateChange(eventId, "MODIFY", type, id, before, after, T0.plusSeconds(1));
    }

    static StateChange remove(String eventId, String type, String id, JsonNode before) {
        return new StateChange(eventId, "REMOVE", type, id, before, null, T0.plusSeconds(2));
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** An audit log where another writer takes the next seq of every chain just before the first append. */
    record RacingAuditLog(InMemoryAuditLog delegate, AtomicBoolean raced) implements AuditLog {
        @Override
        public List<StoredRecord> newest(String chain, int n) {
            return delegate.newest(chain, n);
        }

        @Override
        public boolean append(AuditRecord record, String sourceEventId) {
            if (raced.compareAndSet(false, true)) {
                AuditRecord head = delegate.newest(record.chain(), 1).getFirst().record();
                delegate.append(AuditChain.next(head, record.chain(), T0, "system:other", record.chain(), "updated",
                        null, null), "other-event");
            }
            return delegate.append(record, sourceEventId);
        }

        @Override
        public Page<String> chains(int limit, Optional<String> cursor) {
            return delegate.chains(limit, cursor);
        }

        @Override
        public Page<AuditRecord> read(String chain, int limit, Optional<String> cursor) {
            return delegate.read(chain, limit, cursor);
        }
    }

    /** An audit log with one record gone, as if deleted from the table. */
    record DeletingAuditLog(InMemoryAuditLog delegate, String chain, long deletedSeq) implements AuditLog {
        @Override
        public List<StoredRecord> newest(String chain, int n) {
            return delegate.newest(chain, n);
        }

        @Override
        public boolean append(AuditRecord record, String sourceEventId) {
            return delegate.append(record, sourceEventId);
        }

        @Override
        public Page<String> chains(int limit, Optional<String> cursor) {
            return delegate.chains(limit, cursor);
        }

        @Override
        public Page<AuditRecord> read(String chain, int limit, Optional<String> cursor) {
            Page<AuditRecord> page = delegate.read(chain, limit, cursor);
            if (!chain.equals(this.chain)) {
                return page;
            }
            return new Page<>(page.items().stream().filter(record -> record.seq() != deletedSeq).toList(), page.next());
        }
    }
}
