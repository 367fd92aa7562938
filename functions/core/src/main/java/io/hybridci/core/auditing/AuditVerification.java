package io.hybridci.core.auditing;

import io.hybridci.core.audit.VerifyResult;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of verifying every audit chain: the body of {@code GET /api/v1/audit/verify} and of
 * {@code ./hybridci audit verify}.
 *
 * @param ok true when no chain has a break
 * @param chains how many chains were checked
 * @param records how many records were checked, in all chains
 * @param firstBreak the first break found (chains in name order, records in seq order)
 */
public record AuditVerification(boolean ok, long chains, long records, Optional<VerifyResult.Break> firstBreak) {

    public AuditVerification {
        Objects.requireNonNull(firstBreak, "firstBreak");
        if (ok == firstBreak.isPresent()) {
            throw new IllegalArgumentException("ok must be true exactly when there is no break");
        }
    }
}
