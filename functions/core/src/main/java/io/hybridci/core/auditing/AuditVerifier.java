package io.hybridci.core.auditing;

import io.hybridci.core.audit.AuditChain;
import io.hybridci.core.audit.AuditRecord;
import io.hybridci.core.audit.VerifyResult;
import io.hybridci.core.port.AuditLog;
import io.hybridci.core.port.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Recomputes every audit chain ({@link AuditChain#verify(List)}) and reports the first break:
 * an altered record (its hash, or the next record's {@code prevHash}, no longer matches), a
 * deleted one (a seq gap) or an inserted one. Every chain of a page is read to the end, so the counts
 * of a page are complete even when a break was found early; a break ends the run after its page.
 *
 * <p>Limitation of a bare hash chain: a cut-off tail (the newest records of a chain deleted) leaves
 * a valid shorter chain; catching it needs the head kept elsewhere ({@code ChainHead}).
 */
public final class AuditVerifier {

    /** Page sizes: a DynamoDB query page is at most 1 MB anyway. */
    static final int CHAINS_PER_PAGE = 100;
    static final int RECORDS_PER_PAGE = 500;

    private final AuditLog auditLog;

    public AuditVerifier(AuditLog auditLog) {
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    /** Verifies every chain, however long it takes: tests and tools, not a request with a time limit. */
    public AuditVerification verify() {
        return verify(Optional.empty(), () -> true);
    }

    /**
     * Verifies chains page by page from {@code from} (a registry cursor a previous run returned as
     * {@code next}, or empty for the first chain), at least one page, and goes on to the next page only
     * while {@code mayGoOn} says so: an API request has a time limit (the api function's 10 s) while the
     * number of chains grows without bound, so a caller verifies in runs and sums them (the CLI, the
     * dashboard). A break ends the run: the caller has its answer.
     *
     * @throws IllegalArgumentException when the adapter cannot use {@code from}
     */
    public AuditVerification verify(Optional<String> from, BooleanSupplier mayGoOn) {
        long chains = 0;
        long records = 0;
        Optional<VerifyResult.Break> firstBreak = Optional.empty();
        Optional<String> cursor = from;
        // One query (or a few) per chain, and a control plane has thousands of chains (one per build, job,
        // agent…): read and verify a page's chains at once, at most CHAINS_PER_PAGE in flight, since each is
        // a round trip waiting on the table (32,220 records in ~3,000 chains did not finish in 30 s one by one).
        try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            do {
                Page<String> page = auditLog.chains(CHAINS_PER_PAGE, cursor);
                List<Future<Verified>> verified = new ArrayList<>();
                for (String chain : page.items()) {
                    verified.add(readers.submit(() -> {
                        List<AuditRecord> chainRecords = readAll(chain);
                        return new Verified(chainRecords.size(), AuditChain.verify(chainRecords));
                    }));
                }
                // In page order, so the first break reported is the same whichever read finished first.
                for (Future<Verified> future : verified) {
                    Verified result = join(future);
                    chains++;
                    records += result.records();
                    if (firstBreak.isEmpty()) {
                        firstBreak = result.verdict().firstBreak();
                    }
                }
                cursor = page.next();
            } while (cursor.isPresent() && firstBreak.isEmpty() && mayGoOn.getAsBoolean());
        }
        return new AuditVerification(firstBreak.isEmpty(), chains, records, firstBreak, cursor);
    }

    private record Verified(int records, VerifyResult verdict) {
    }

    private static Verified join(Future<Verified> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying the audit chains", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private List<AuditRecord> readAll(String chain) {
        List<AuditRecord> all = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            Page<AuditRecord> page = auditLog.read(chain, RECORDS_PER_PAGE, cursor);
            all.addAll(page.items());
            cursor = page.next();
        } while (cursor.isPresent());
        return all;
    }
}
