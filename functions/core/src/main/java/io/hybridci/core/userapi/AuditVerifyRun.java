package io.hybridci.core.userapi;

import io.hybridci.core.auditing.AuditVerification;

import java.util.Objects;

/** The outcome of {@link UserApi#verifyAudit}: one run of the verification, or a cursor this API never gave. */
public sealed interface AuditVerifyRun {

    /** The chains checked in this run; {@code verification.next()} is the opaque cursor to go on from. */
    record Checked(AuditVerification verification) implements AuditVerifyRun {
        public Checked {
            Objects.requireNonNull(verification, "verification");
        }
    }

    /** The cursor was not one this API handed out. */
    record BadCursor(String message) implements AuditVerifyRun {}
}
