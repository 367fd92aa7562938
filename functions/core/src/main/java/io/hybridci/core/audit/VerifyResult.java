package io.hybridci.core.audit;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of verifying one audit chain.
 *
 * @param ok true when no break was found
 * @param records how many records were checked
 * @param firstBreak the first problem, in seq order; empty exactly when {@code ok}
 */
public record VerifyResult(boolean ok, int records, Optional<Break> firstBreak) {

    public VerifyResult {
        Objects.requireNonNull(firstBreak, "firstBreak");
        if (ok == firstBreak.isPresent()) {
            throw new IllegalArgumentException("ok must be true exactly when there is no break");
        }
    }

    static VerifyResult intact(int records) {
        return new VerifyResult(true, records, Optional.empty());
    }

    static VerifyResult broken(int records, Break firstBreak) {
        return new VerifyResult(false, records, Optional.of(firstBreak));
    }

    /**
     * Where a chain stops proving its history.
     *
     * @param chain the chain
     * @param seq the seq at which the break shows: the record that is wrong, or the seq that was expected there
     * @param problem what kind of break
     * @param detail a sentence for the person reading {@code audit verify}'s output
     */
    public record Break(String chain, long seq, Problem problem, String detail) {
        public Break {
            Objects.requireNonNull(chain, "chain");
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String toString() {
            return chain + " seq " + seq + ": " + problem + " (" + detail + ")";
        }
    }

    /** The kinds of break, each with the tampering it usually means. */
    public enum Problem {
        /** A record's content does not hash to its {@code hash}: the record was altered. */
        HASH_MISMATCH,
        /** A record's {@code prevHash} is not the previous record's hash: a record before it was altered, replaced or removed. */
        PREV_HASH_MISMATCH,
        /** A seq is missing: records were deleted (or the chain does not start at 1). */
        SEQ_GAP,
        /** A seq is repeated or goes backwards: records were inserted or reordered. */
        SEQ_OUT_OF_ORDER,
        /** A record of another chain was mixed into this one. */
        CHAIN_MISMATCH,
        /** The chain ends before the head recorded elsewhere: its last records were deleted. */
        TRUNCATED,
        /** The last record is not the head recorded elsewhere: it was altered and re-hashed, or the chain was extended. */
        HEAD_MISMATCH
    }
}
