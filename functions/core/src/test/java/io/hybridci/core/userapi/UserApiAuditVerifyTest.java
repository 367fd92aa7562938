package io.hybridci.core.userapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hybridci.core.audit.AuditChain;
import io.hybridci.core.audit.AuditRecord;
import io.hybridci.core.auditing.AuditVerification;
import io.hybridci.core.port.inmemory.InMemoryAuditLog;
import io.hybridci.core.port.inmemory.InMemoryBuildRepository;
import io.hybridci.core.port.inmemory.InMemoryJobRepository;
import io.hybridci.core.port.inmemory.InMemoryLogStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The audit verification as the API runs it: runs bounded by time, an opaque cursor, runs that add up. */
class UserApiAuditVerifyTest {

    private static final Instant START = Instant.parse("2026-12-02T12:00:00Z");

    /** Every reading of the time is 2 s later than the one before: a verification that takes long. */
    private static final class SlowTable extends Clock {
        private final AtomicLong readings = new AtomicLong();

        @Override public Instant instant() { return START.plus(Duration.ofSeconds(2 * readings.getAndIncrement())); }
        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    }

    private final InMemoryAuditLog audit = new InMemoryAuditLog();

    private UserApi api(Clock clock) {
        return new UserApi(new InMemoryBuildRepository(), new InMemoryJobRepository(), new InMemoryLogStore(), audit, clock);
    }

    private void writeChains(int chains, int recordsEach) {
        for (int c = 0; c < chains; c++) {
            String chain = "job:%05d".formatted(c);
            AuditRecord head = null;
            for (int i = 0; i < recordsEach; i++) {
                head = AuditChain.next(head, chain, START.plusSeconds(i), "system:test", chain, "MODIFY",
                        JsonNodeFactory.instance.objectNode().put("n", i), JsonNodeFactory.instance.objectNode().put("n", i + 1));
                audit.append(head, chain + "-" + i);
            }
        }
    }

    @Test
    void shouldStopAtTheBudgetAndGoOnFromTheCursor_untilTheRunsCoverEveryChain() {
        writeChains(450, 2);
        UserApi api = api(new SlowTable());

        List<AuditVerification> runs = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            AuditVerification run = assertInstanceOf(AuditVerifyRun.Checked.class, api.verifyAudit(cursor)).verification();
            runs.add(run);
            cursor = run.next();
        } while (!runs.getLast().complete());

        // 5 s of budget, 2 s per page: three pages (100 chains each) a run, then the rest.
        assertEquals(List.of(300L, 150L), runs.stream().map(AuditVerification::chains).toList());
        assertEquals(900L, runs.stream().mapToLong(AuditVerification::records).sum());
        assertTrue(runs.stream().allMatch(AuditVerification::ok));
        assertEquals(Optional.empty(), runs.getLast().next());
    }

    @Test
    void shouldVerifyEverythingInOneRun_whenTheBudgetIsNotReached() {
        writeChains(250, 1);

        AuditVerification run = assertInstanceOf(AuditVerifyRun.Checked.class,
                api(Clock.fixed(START, ZoneOffset.UTC)).verifyAudit(Optional.empty())).verification();

        assertEquals(250, run.chains());
        assertTrue(run.complete());
    }

    @Test
    void shouldRefuseACursorItDidNotHandOut() {
        writeChains(1, 1);
        UserApi api = api(Clock.fixed(START, ZoneOffset.UTC));
        String buildsCursor = Base64.getUrlEncoder().withoutPadding().encodeToString("b1:whatever".getBytes());

        for (String bad : List.of("%%%", "bm90LW91cnM", buildsCursor)) {
            AuditVerifyRun answer = api.verifyAudit(Optional.of(bad));
            assertInstanceOf(AuditVerifyRun.BadCursor.class, answer, bad);
            assertFalse(((AuditVerifyRun.BadCursor) answer).message().isEmpty());
        }
    }
}
