package io.hybridci.core.security;

/**
 * The outcome of checking a signature, precise enough to pick the HTTP status and the audit
 * reason, and never saying which secret matched.
 */
public enum SignatureCheck {
    /** No signature was sent. */
    MISSING,
    /** A signature was sent but is not in the expected form (prefix, hex, length). */
    MALFORMED,
    /** Well-formed, but no accepted key produces it: a wrong secret or an altered body. */
    MISMATCH,
    /** Produced by one of the accepted keys over exactly this body. */
    VALID
}
