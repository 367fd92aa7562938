package io.hybridci.core.auditing;

import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.core.audit.AuditChain;
import io.hybridci.core.audit.AuditRecord;
import io.hybridci.core.port.AuditLog;
import io.hybridci.core.port.AuditLog.StoredRecord;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The audit-writer's use case (DESIGN section 9, docs/functions.md): appends one record per
 * {@code state} item change to the item's hash chain {@code <type>:<id>}.
 *
 * <ul>
 *   <li><b>actor</b>: the new image's {@code lastActor}, else the old image's (a REMOVE), else
 *       {@value #UNKNOWN_ACTOR};</li>
 *   <li><b>action</b>: {@code state:<FROM>-><TO>} when the {@code state} attribute changed,
 *       {@code created:<STATE>} / {@code created}, {@code removed}, else {@code updated};</li>
 *   <li><b>before/after</b>: the images without secrets, hashes and storage keys ({@link AuditRedaction}).</li>
 * </ul>
 *
 * <h2>Exactly once per stream record</h2>
 * The record is appended at {@code seq = newest + 1} with a put conditional on that seq being
 * free; losing that race (a concurrent writer on the same chain) re-reads the head and tries
 * again. A re-delivered stream record is recognised by its {@code eventID} among the chain's
 * newest {@value #REDELIVERY_WINDOW} records and appends nothing. Why a window suffices: DynamoDB
 * Streams keep the records of one item in order on one shard, and a failed batch is retried from
 * its first failed record, so a record can only come back behind the few records of the same item
 * that followed it in that batch.
 */
public final class AuditWriter {

    /** How many of a chain's newest records are searched for a re-delivered stream record. */
    public static final int REDELIVERY_WINDOW = 16;

    /** How often a lost append is retried against the new head before giving up. */
    public static final int MAX_APPEND_ATTEMPTS = 5;

    /** Actor of a change whose images carry no {@code lastActor}. */
    public static final String UNKNOWN_ACTOR = "system:unknown";

    private final AuditLog auditLog;

    public AuditWriter(AuditLog auditLog) {
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    /** The chain of an entity: {@code <entity type, lower case>:<id>}, e.g. {@code job:0f3c…}. */
    public static String chainOf(String entityType, String entityId) {
        return AuditChain.chainOf(entityType.toLowerCase(Locale.ROOT), entityId);
    }

    /**
     * Appends the record of {@code change}, or recognises it as already recorded.
     *
     * @throws IllegalStateException when every attempt lost its race (the stream retries the record)
     */
    public AuditOutcome write(StateChange change) {
        Objects.requireNonNull(change, "change");
        String chain = chainOf(change.entityType(), change.entityId());
        String actor = actorOf(change);
        String action = actionOf(change);
        JsonNode before = AuditRedaction.redact(change.oldImage());
        JsonNode after = AuditRedaction.redact(change.newImage());
        for (int attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt++) {
            List<StoredRecord> newest = auditLog.newest(chain, REDELIVERY_WINDOW);
            for (StoredRecord stored : newest) {
                if (change.eventId().equals(stored.sourceEventId())) {
                    return new AuditOutcome.AlreadyRecorded(chain, stored.record().seq());
                }
            }
            AuditRecord head = newest.isEmpty() ? null : newest.getFirst().record();
            AuditRecord record = AuditChain.next(head, chain, change.at(), actor, chain, action, before, after);
            if (auditLog.append(record, change.eventId())) {
                return new AuditOutcome.Appended(record);
            }
        }
        throw new IllegalStateException("could not append to audit chain " + chain + " after "
                + MAX_APPEND_ATTEMPTS + " attempts: it keeps changing");
    }

    static String actorOf(StateChange change) {
        String fromNew = text(change.newImage(), "lastActor");
        if (fromNew != null) {
            return fromNew;
        }
        String fromOld = text(change.oldImage(), "lastActor");
        return fromOld != null ? fromOld : UNKNOWN_ACTOR;
    }

    static String actionOf(StateChange change) {
        String from = text(change.oldImage(), "state");
        String to = text(change.newImage(), "state");
        return switch (change.eventName()) {
            case "INSERT" -> to == null ? "created" : "created:" + to;
            case "REMOVE" -> "removed";
            case "MODIFY" -> from != null && to != null && !from.equals(to) ? "state:" + from + "->" + to : "updated";
            default -> throw new IllegalArgumentException("unknown event name " + change.eventName());
        };
    }

    private static String text(JsonNode image, String field) {
        if (image == null) {
            return null;
        }
        JsonNode value = image.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }
}
