package io.hybridci.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditChainTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant AT = Instant.parse("2025-01-02T03:04:05Z");

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static AuditRecord first() {
        return AuditChain.next(null, "job:j1", AT, "system:reaper", "job:j1", "MODIFY",
                json("{\"state\":\"RUNNING\"}"),
                json("{\"state\":\"FAILED\",\"took\":1.50,\"note\":\"café \\\"x\\\"\\n\",\"attempt\":1}"));
    }

    private static List<AuditRecord> chainOf(int length) {
        List<AuditRecord> records = new ArrayList<>();
        AuditRecord previous = null;
        for (int i = 0; i < length; i++) {
            previous = AuditChain.next(previous, "build:b1", AT.plusSeconds(i), "system:state-reactor", "build:b1",
                    "MODIFY", json("{\"n\":" + i + "}"), json("{\"n\":" + (i + 1) + "}"));
            records.add(previous);
        }
        return records;
    }

    @Test
    void shouldWriteSortedCompactJson_whenRecordIsCanonicalized() {
        assertEquals("{\"action\":\"MODIFY\",\"actor\":\"system:reaper\","
                + "\"after\":{\"attempt\":1,\"note\":\"café \\\"x\\\"\\n\",\"state\":\"FAILED\",\"took\":1.5},"
                + "\"at\":\"2025-01-02T03:04:05.000Z\",\"before\":{\"state\":\"RUNNING\"},\"chain\":\"job:j1\","
                + "\"entity\":\"job:j1\",\"prevHash\":\"" + "0".repeat(64) + "\",\"seq\":1}",
                AuditChain.canonicalJson(first()));
    }

    @Test
    void shouldMatchAnIndependentSha256_whenHashingTheCanonicalForm() {
        // Computed with Python's hashlib over the canonical string above, not with our code.
        assertEquals("6f6aa137a1efc297369f90aebb89ee92f7fae505b415c615cf5015a7a7126239", first().hash());
    }

    @Test
    void shouldHashTheSame_whenNumberIsWrittenAsDoubleOrDecimal() {
        AuditRecord asDecimal = AuditChain.next(null, "job:j", AT, "a", "job:j", "INSERT", null, json("{\"x\":2.0,\"y\":1e3}"));
        AuditRecord asInteger = AuditChain.next(null, "job:j", AT, "a", "job:j", "INSERT", null, json("{\"y\":1000,\"x\":2}"));

        assertEquals(asInteger.hash(), asDecimal.hash());
    }

    @Test
    void shouldEscapeControlCharactersAsLowercaseUnicode_whenStringHasThem() {
        AuditRecord record = AuditChain.next(null, "job:j", AT, "a\u0001", "job:j", "INSERT", null, null);

        assertTrue(AuditChain.canonicalJson(record).contains("\"actor\":\"a\\u0001\""));
        assertTrue(AuditChain.canonicalJson(record).contains("\"after\":null"));
    }

    @Test
    void shouldStartAtSeqOneWithGenesisHash_whenNoPreviousRecord() {
        AuditRecord record = first();

        assertEquals(1, record.seq());
        assertEquals(AuditChain.GENESIS_HASH, record.prevHash());
    }

    @Test
    void shouldLinkToPreviousHash_whenAppending() {
        List<AuditRecord> records = chainOf(3);

        assertEquals(3, records.get(2).seq());
        assertEquals(records.get(1).hash(), records.get(2).prevHash());
    }

    @Test
    void shouldTruncateToMilliseconds_whenInstantIsFiner() {
        AuditRecord record = AuditChain.next(null, "job:j", Instant.parse("2025-01-02T03:04:05.123456789Z"),
                "a", "job:j", "INSERT", null, null);

        assertEquals(Instant.parse("2025-01-02T03:04:05.123Z"), record.at());
    }

    @Test
    void shouldRefuseToChain_whenPreviousIsInAnotherChain() {
        AuditRecord other = first();

        assertThrows(IllegalArgumentException.class,
                () -> AuditChain.next(other, "job:j2", AT, "a", "job:j2", "INSERT", null, null));
    }

    @Test
    void shouldNotChangeTheHashedContent_whenCallerMutatesItsNodeLater() {
        ObjectNode after = MAPPER.createObjectNode().put("state", "PASSED");
        AuditRecord record = AuditChain.next(null, "job:j", AT, "a", "job:j", "MODIFY", null, after);

        after.put("state", "FAILED");

        assertTrue(AuditChain.verify(List.of(record)).ok());
    }

    @Test
    void shouldVerify_whenChainIsUntouched() {
        VerifyResult result = AuditChain.verify(chainOf(5));

        assertTrue(result.ok());
        assertEquals(5, result.records());
        assertTrue(result.firstBreak().isEmpty());
    }

    @Test
    void shouldReportHashMismatch_whenARecordIsAltered() {
        List<AuditRecord> records = new ArrayList<>(chainOf(4));
        AuditRecord original = records.get(2);
        records.set(2, new AuditRecord(original.chain(), original.seq(), original.at(), "user:mallory",
                original.entity(), original.action(), original.before(), original.after(), original.prevHash(), original.hash()));

        VerifyResult result = AuditChain.verify(records);

        assertFalse(result.ok());
        assertEquals(VerifyResult.Problem.HASH_MISMATCH, result.firstBreak().orElseThrow().problem());
        assertEquals(3, result.firstBreak().orElseThrow().seq());
    }

    @Test
    void shouldReportPrevHashMismatch_whenAlteredRecordWasRehashed() {
        List<AuditRecord> records = new ArrayList<>(chainOf(4));
        AuditRecord original = records.get(1);
        AuditRecord forged = new AuditRecord(original.chain(), original.seq(), original.at(), original.actor(),
                original.entity(), "REMOVE", original.before(), original.after(), original.prevHash(), "x");
        records.set(1, new AuditRecord(forged.chain(), forged.seq(), forged.at(), forged.actor(), forged.entity(),
                forged.action(), forged.before(), forged.after(), forged.prevHash(), AuditChain.hash(forged)));

        VerifyResult.Break found = AuditChain.verify(records).firstBreak().orElseThrow();

        assertEquals(VerifyResult.Problem.PREV_HASH_MISMATCH, found.problem());
        assertEquals(3, found.seq());
    }

    @Test
    void shouldReportSeqGap_whenAMiddleRecordIsDeleted() {
        List<AuditRecord> records = new ArrayList<>(chainOf(4));
        records.remove(1);

        VerifyResult.Break found = AuditChain.verify(records).firstBreak().orElseThrow();

        assertEquals(VerifyResult.Problem.SEQ_GAP, found.problem());
        assertEquals(2, found.seq());
        assertEquals("build:b1 seq 2: SEQ_GAP (expected seq 2, found 3)", found.toString());
    }

    @Test
    void shouldReportSeqGap_whenTwoRecordsAreSwapped() {
        List<AuditRecord> records = new ArrayList<>(chainOf(4));
        records.set(1, records.get(2));
        records.set(2, chainOf(4).get(1));

        assertEquals(VerifyResult.Problem.SEQ_GAP, AuditChain.verify(records).firstBreak().orElseThrow().problem());
    }

    @Test
    void shouldReportSeqOutOfOrder_whenARecordIsReplayedIntoTheChain() {
        List<AuditRecord> records = new ArrayList<>(chainOf(4));
        records.add(2, records.get(1));

        VerifyResult.Break found = AuditChain.verify(records).firstBreak().orElseThrow();

        assertEquals(VerifyResult.Problem.SEQ_OUT_OF_ORDER, found.problem());
        assertEquals(2, found.seq());
    }

    @Test
    void shouldReportTruncation_whenLastRecordsAreDeletedButHeadIsKnown() {
        List<AuditRecord> records = chainOf(4);
        ChainHead head = ChainHead.of(records.getLast());

        VerifyResult result = AuditChain.verify(records.subList(0, 2), head);

        assertEquals(VerifyResult.Problem.TRUNCATED, result.firstBreak().orElseThrow().problem());
        assertEquals(3, result.firstBreak().orElseThrow().seq());
    }

    @Test
    void shouldReportChainMismatch_whenARecordOfAnotherChainIsMixedIn() {
        List<AuditRecord> records = new ArrayList<>(chainOf(2));
        records.add(AuditChain.next(null, "job:other", AT, "a", "job:other", "INSERT", null, null));

        assertEquals(VerifyResult.Problem.CHAIN_MISMATCH, AuditChain.verify(records).firstBreak().orElseThrow().problem());
    }

    @Test
    void shouldVerifyAnEmptyChain_whenNoRecordsExist() {
        assertTrue(AuditChain.verify(List.of()).ok());
        assertEquals("build:b1", AuditChain.chainOf("build", "b1"));
    }
}
