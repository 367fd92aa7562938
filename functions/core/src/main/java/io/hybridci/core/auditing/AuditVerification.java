package io.hybridci.core.auditing;

import io.hybridci.core.audit.VerifyResult;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of verifying the audit chains, all of them or a run of them: the body of
 * {@code GET /api/v1/audit/verify} and of {@code ./hybridci audit verify}.
 *
 * @param ok true when no chain checked has a break
 * @param chains how many chains were checked
 * @param records how many records were checked, in all chains checked
 * @param firstBreak the first break found (chains in name order, records in seq order)
 * @param next where to go on from, when chains remain unchecked (the registry cursor of the next
 *             page of chains); empty when the last chain was checked
 */
public record AuditVerification(boolean ok, long chains, long records, Optional<VerifyResult.Break> firstBreak,
                                Optional<String> next) {

    public AuditVerification {
        Objects.requireNonNull(firstBreak, "firstBreak");
        Objects.requireNonNull(next, "next");
        if (ok == firstBreak.isPresent()) {
            throw new IllegalArgumentException("ok must be true exactly when there is no break");
        }
    }

    /** A verification of every chain. */
    public AuditVerification(boolean ok, long chains, long records, Optional<VerifyResult.Break> firstBreak) {
        this(ok, chains, records, firstBreak, Optional.empty());
    }

    /** True when every chain was checked (or a break was found, which ends the check). */
    public boolean complete() {
        return next.isEmpty() || !ok;
    }
}
