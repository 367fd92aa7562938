package io.hybridci.core.auditing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hybridci.core.audit.AuditChain;
import io.hybridci.core.audit.AuditRecord;
import io.hybridci.core.audit.VerifyResult;
import io.hybridci.core.port.inmemory.InMemoryAuditLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Verification over many chains, read in parallel: counts are whole and the first break is in name order. */
class AuditVerifierTest {

    private static final Instant AT = Instant.parse("2026-12-02T12:00:00Z");

    private final InMemoryAuditLog log = new InMemoryAuditLog();

    private void writeChain(String chain, int records) {
        AuditRecord head = null;
        for (int i = 0; i < records; i++) {
            head = AuditChain.next(head, chain, AT.plusSeconds(i), "system:test", chain, "updated",
                    JsonNodeFactory.instance.objectNode().put("n", i), JsonNodeFactory.instance.objectNode().put("n", i + 1));
            log.append(head, chain + "-" + i);
        }
    }

    private void tamper(String chain, long seq) {
        AuditRecord original = log.read(chain, 10, Optional.empty()).items().get((int) seq - 1);
        log.replace(new AuditRecord(original.chain(), original.seq(), original.at(), "user:mallory", original.entity(),
                original.action(), original.before(), original.after(), original.prevHash(), original.hash()));
    }

    @Test
    void shouldCountEveryChainAndRecord_whenTheChainsSpanSeveralPages() {
        int chains = AuditVerifier.CHAINS_PER_PAGE * 2 + 37;
        for (int i = 0; i < chains; i++) {
            writeChain("job:%04d".formatted(i), 1 + i % 3);
        }

        AuditVerification verification = new AuditVerifier(log).verify();

        long records = 0;
        for (int i = 0; i < chains; i++) records += 1 + i % 3;
        assertEquals(new AuditVerification(true, chains, records, Optional.empty()), verification);
    }

    @Test
    void shouldReportTheBreakOfTheFirstChainByName_whateverReadFinishesFirst() {
        for (int i = 0; i < AuditVerifier.CHAINS_PER_PAGE * 3; i++) {
            writeChain("job:%04d".formatted(i), 3);
        }
        tamper("job:0250", 2);
        tamper("job:0042", 3);
        tamper("job:0199", 1);

        for (int run = 0; run < 5; run++) {
            AuditVerification verification = new AuditVerifier(log).verify();

            assertFalse(verification.ok());
            VerifyResult.Break found = verification.firstBreak().orElseThrow();
            assertEquals("job:0042", found.chain());
            assertEquals(3, found.seq());
            // The break ends the run after its page: the caller has its answer.
            assertEquals(AuditVerifier.CHAINS_PER_PAGE, verification.chains());
            assertEquals(true, verification.complete());
        }
    }

    @Test
    void shouldVerifyInRunsThatAddUpToTheWhole_whenTheCallerStopsAfterEachPage() {
        int chains = AuditVerifier.CHAINS_PER_PAGE * 2 + 5;
        for (int i = 0; i < chains; i++) {
            writeChain("build:%04d".formatted(i), 2);
        }
        AuditVerifier verifier = new AuditVerifier(log);

        List<AuditVerification> runs = new ArrayList<>();
        Optional<String> from = Optional.empty();
        do {
            AuditVerification run = verifier.verify(from, () -> false);
            runs.add(run);
            from = run.next();
        } while (!runs.getLast().complete());

        assertEquals(3, runs.size());
        assertEquals(List.of(100L, 100L, 5L), runs.stream().map(AuditVerification::chains).toList());
        assertEquals(chains * 2L, runs.stream().mapToLong(AuditVerification::records).sum());
        assertTrue(runs.stream().allMatch(AuditVerification::ok));
        assertTrue(runs.getFirst().next().isPresent() && !runs.getFirst().complete());
        assertEquals(Optional.empty(), runs.getLast().next());
    }

    @Test
    void shouldFindABreakInALaterRun_whenVerifyingFromTheCursorOfAnEarlierOne() {
        for (int i = 0; i < AuditVerifier.CHAINS_PER_PAGE * 2; i++) {
            writeChain("job:%04d".formatted(i), 2);
        }
        tamper("job:0150", 2);
        AuditVerifier verifier = new AuditVerifier(log);

        AuditVerification first = verifier.verify(Optional.empty(), () -> false);
        AuditVerification second = verifier.verify(first.next(), () -> false);

        assertTrue(first.ok());
        assertFalse(second.ok());
        assertEquals("job:0150", second.firstBreak().orElseThrow().chain());
        assertTrue(second.complete());
    }
}
