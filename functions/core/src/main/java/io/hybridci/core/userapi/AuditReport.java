package io.hybridci.core.userapi;

import io.hybridci.core.audit.VerifyResult;

import java.util.Objects;
import java.util.Optional;

/**
 * Every audit chain recomputed ({@code GET /api/v1/audit/verify}).
 *
 * @param ok no chain is broken
 * @param chains how many chains were checked
 * @param records how many records were checked
 * @param firstBreak the first break found, in chain order
 */
public record AuditReport(boolean ok, long chains, long records, Optional<VerifyResult.Break> firstBreak) {
    public AuditReport {
        Objects.requireNonNull(firstBreak, "firstBreak");
        if (ok == firstBreak.isPresent()) {
            throw new IllegalArgumentException("ok must be true exactly when there is no break");
        }
    }
}
