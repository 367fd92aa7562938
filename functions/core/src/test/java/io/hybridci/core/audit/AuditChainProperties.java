package io.hybridci.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Tamper evidence over random chains: an untouched chain verifies, and any single alteration,
 * deletion, insertion or swap is detected, given the chain head kept outside the audit table.
 */
class AuditChainProperties {

    private static final int EXAMPLES = 500;
    /** Ten alterations times up to 25 positions: the largest space here, so more examples. */
    private static final int ALTERATION_EXAMPLES = 1000;

    /** One change to record: who did it, what, and the entity's state afterwards. */
    record Change(String actor, String action, String state, long millisLater) {}

    /** The ways one record can be tampered with, field by field. */
    enum Alteration { CHAIN, SEQ, AT, ACTOR, ENTITY, ACTION, BEFORE, AFTER, PREV_HASH, HASH }

    /** Chains of 1 to 25 records by four actors, with any Unicode text as the entity's state. */
    static Gen<List<AuditRecord>> chains() {
        return chains(1);
    }

    /** Like {@link #chains()}, with at least {@code minSize} records. */
    static Gen<List<AuditRecord>> chains(int minSize) {
        Gen<String> actors = Generate.pick(List.of("system:state-reactor", "agent:a1", "user:u1", "github:octocat"));
        Gen<Change> change = actors.zip(
                Generate.pick(List.of("INSERT", "MODIFY", "REMOVE")),
                strings().allPossible().ofLengthBetween(0, 12),
                longs().between(0, 5_000),
                Change::new);
        return lists().of(change).ofSizeBetween(minSize, 25).map(AuditChainProperties::build);
    }

    /** A position in the chain, taken modulo its size. */
    static Gen<Integer> picks() {
        return integers().between(0, 1000);
    }

    private static List<AuditRecord> build(List<Change> changes) {
        List<AuditRecord> records = new ArrayList<>();
        AuditRecord previous = null;
        Instant at = Instant.parse("2025-03-01T00:00:00Z");
        JsonNode state = null;
        for (Change change : changes) {
            at = at.plusMillis(change.millisLater());
            JsonNode next = JsonNodeFactory.instance.objectNode().put("state", change.state());
            previous = AuditChain.next(previous, "job:j1", at, change.actor(), "job:j1", change.action(), state, next);
            records.add(previous);
            state = next;
        }
        return List.copyOf(records);
    }

    @Test
    void shouldVerify_whenChainIsUntouched() {
        qt().withExamples(EXAMPLES).forAll(chains()).checkAssert(chain -> {
            VerifyResult result = AuditChain.verify(chain, ChainHead.of(chain.getLast()));

            assertTrue(result.ok(), () -> result.firstBreak().map(Object::toString).orElse(""));
            assertEquals(chain.size(), result.records());
        });
    }

    @Test
    void shouldDetect_whenAnyFieldOfAnyRecordIsAltered() {
        qt().withExamples(ALTERATION_EXAMPLES).forAll(chains(), picks(), Generate.enumValues(Alteration.class))
                .checkAssert(AuditChainProperties::shouldDetectAlteration);
    }

    private static void shouldDetectAlteration(List<AuditRecord> chain, int pick, Alteration alteration) {
        int index = pick % chain.size();
        List<AuditRecord> tampered = new ArrayList<>(chain);
        tampered.set(index, alter(chain.get(index), alteration));

        VerifyResult result = AuditChain.verify(tampered, ChainHead.of(chain.getLast()));

        assertFalse(result.ok(), "undetected " + alteration + " of record " + (index + 1));
        assertTrue(result.firstBreak().orElseThrow().seq() <= index + 1, "the break is reported at or before the altered record");
    }

    @Test
    void shouldDetect_whenAlteredRecordIsRehashedByTheAttacker() {
        qt().withExamples(EXAMPLES).forAll(chains(), picks())
                .checkAssert(AuditChainProperties::shouldDetectRehashedAlteration);
    }

    private static void shouldDetectRehashedAlteration(List<AuditRecord> chain, int pick) {
        int index = pick % chain.size();
        AuditRecord original = chain.get(index);
        AuditRecord altered = withAfter(original, TextNode.valueOf("forged"));
        List<AuditRecord> tampered = new ArrayList<>(chain);
        tampered.set(index, rehashed(altered));

        assertFalse(AuditChain.verify(tampered, ChainHead.of(chain.getLast())).ok());
    }

    @Test
    void shouldDetect_whenAnyRecordIsDeleted() {
        qt().withExamples(EXAMPLES).forAll(chains(), picks()).checkAssert(AuditChainProperties::shouldDetectDeletion);
    }

    private static void shouldDetectDeletion(List<AuditRecord> chain, int pick) {
        int index = pick % chain.size();
        List<AuditRecord> tampered = new ArrayList<>(chain);
        tampered.remove(index);

        assertFalse(AuditChain.verify(tampered, ChainHead.of(chain.getLast())).ok());
        if (index < chain.size() - 1) {
            assertFalse(AuditChain.verify(tampered).ok(), "a deletion before the end shows even without the head");
        }
    }

    @Test
    void shouldDetect_whenARecordIsInsertedOrDuplicated() {
        qt().withExamples(EXAMPLES).forAll(chains(), picks()).checkAssert(AuditChainProperties::shouldDetectInsertion);
    }

    private static void shouldDetectInsertion(List<AuditRecord> chain, int pick) {
        int index = pick % chain.size();
        List<AuditRecord> tampered = new ArrayList<>(chain);
        tampered.add(index, chain.get(index));

        assertFalse(AuditChain.verify(tampered, ChainHead.of(chain.getLast())).ok());
    }

    @Test
    void shouldDetect_whenTwoNeighboursAreSwapped() {
        qt().withExamples(EXAMPLES).forAll(chains(2), picks())
                .checkAssert(AuditChainProperties::shouldDetectSwap);
    }

    private static void shouldDetectSwap(List<AuditRecord> chain, int pick) {
        int index = pick % (chain.size() - 1);
        List<AuditRecord> tampered = new ArrayList<>(chain);
        tampered.set(index, chain.get(index + 1));
        tampered.set(index + 1, chain.get(index));

        assertFalse(AuditChain.verify(tampered).ok());
    }

    private static AuditRecord alter(AuditRecord r, Alteration alteration) {
        return switch (alteration) {
            case CHAIN -> new AuditRecord(r.chain() + "x", r.seq(), r.at(), r.actor(), r.entity(), r.action(), r.before(), r.after(), r.prevHash(), r.hash());
            case SEQ -> new AuditRecord(r.chain(), r.seq() + 1, r.at(), r.actor(), r.entity(), r.action(), r.before(), r.after(), r.prevHash(), r.hash());
            case AT -> new AuditRecord(r.chain(), r.seq(), r.at().plusMillis(1), r.actor(), r.entity(), r.action(), r.before(), r.after(), r.prevHash(), r.hash());
            case ACTOR -> new AuditRecord(r.chain(), r.seq(), r.at(), r.actor() + "x", r.entity(), r.action(), r.before(), r.after(), r.prevHash(), r.hash());
            case ENTITY -> new AuditRecord(r.chain(), r.seq(), r.at(), r.actor(), r.entity() + "x", r.action(), r.before(), r.after(), r.prevHash(), r.hash());
            case ACTION -> new AuditRecord(r.chain(), r.seq(), r.at(), r.actor(), r.entity(), r.action() + "x", r.before(), r.after(), r.prevHash(), r.hash());
            case BEFORE -> new AuditRecord(r.chain(), r.seq(), r.at(), r.actor(), r.entity(), r.action(), TextNode.valueOf("forged"), r.after(), r.prevHash(), r.hash());
            case AFTER -> withAfter(r, TextNode.valueOf("forged"));
            case PREV_HASH -> new AuditRecord(r.chain(), r.seq(), r.at(), r.actor(), r.entity(), r.action(), r.before(), r.after(), flip(r.prevHash()), r.hash());
            case HASH -> new AuditRecord(r.chain(), r.seq(), r.at(), r.actor(), r.entity(), r.action(), r.before(), r.after(), r.prevHash(), flip(r.hash()));
        };
    }

    private static AuditRecord withAfter(AuditRecord r, JsonNode after) {
        return new AuditRecord(r.chain(), r.seq(), r.at(), r.actor(), r.entity(), r.action(), r.before(), after, r.prevHash(), r.hash());
    }

    private static AuditRecord rehashed(AuditRecord r) {
        return new AuditRecord(r.chain(), r.seq(), r.at(), r.actor(), r.entity(), r.action(), r.before(), r.after(), r.prevHash(), AuditChain.hash(r));
    }

    private static String flip(String hex) {
        return (hex.charAt(0) == '0' ? "1" : "0") + hex.substring(1);
    }
}
