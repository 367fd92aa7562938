package io.hybridci.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One link of a per-entity audit hash chain (DESIGN section 9): who did what to which entity,
 * with the entity's state before and after, chained to the previous record by its hash.
 * Records are only ever inserted, never updated; {@link AuditChain#verify} proves it.
 *
 * @param chain the chain this record belongs to, one per entity: {@code build:<id>}, {@code job:<id>}, {@code agent:<id>}
 * @param seq 1 for the first record of a chain, then contiguous
 * @param at when the change happened, at millisecond precision (so that every store and every
 *           verifier writes it the same way)
 * @param actor who made the change: {@code github:<login>}, {@code agent:<id>}, {@code user:<id>}, {@code system:<fn>}
 * @param entity the entity changed, usually the same as the chain
 * @param action what happened, e.g. {@code INSERT}, {@code MODIFY}, {@code REMOVE} or a domain verb
 * @param before the entity before the change; JSON {@code null} when it was created
 * @param after the entity after the change; JSON {@code null} when it was removed
 * @param prevHash the previous record's {@code hash}, or {@link AuditChain#GENESIS_HASH} for seq 1
 * @param hash lowercase hex SHA-256 of {@link AuditChain#canonicalJson(AuditRecord)}
 */
public record AuditRecord(
        String chain,
        long seq,
        Instant at,
        String actor,
        String entity,
        String action,
        JsonNode before,
        JsonNode after,
        String prevHash,
        String hash) {

    public AuditRecord {
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(hash, "hash");
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1, was " + seq);
        }
        if (at.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("at must have millisecond precision, was " + at);
        }
        // Copies: a caller mutating its ObjectNode later must not change what was hashed.
        before = before == null ? NullNode.instance : before.deepCopy();
        after = after == null ? NullNode.instance : after.deepCopy();
    }
}
