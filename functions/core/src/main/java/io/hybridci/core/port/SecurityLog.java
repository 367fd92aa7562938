package io.hybridci.core.port;

import java.time.Instant;

/**
 * Records what the control plane refused for security reasons (a forged or replayed agent
 * message, an agent not assigned to a job). Adapters write it to the state table, so the
 * audit-writer chains it like every other change.
 */
public interface SecurityLog {

    /**
     * @param id idempotency key (e.g. the SQS message id), so a re-delivered rejection is recorded once
     * @param subject what was refused, e.g. {@code job:<id>}
     * @param reason a code such as {@code bad_signature}, {@code stale_timestamp}, {@code replay}, {@code not_assigned}
     * @param actor who claimed to act, e.g. {@code agent:<id>}
     */
    record Rejection(String id, String subject, String reason, String actor, String detail, Instant at) {}

    void reject(Rejection rejection);
}
