package io.hybridci.core.auditing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One change of a {@code state} table item, as the {@link AuditWriter} records it: a DynamoDB
 * stream record with its images already turned into plain JSON.
 *
 * @param eventId the stream record's {@code eventID}: a re-delivery carries the same one
 * @param eventName {@code INSERT}, {@code MODIFY} or {@code REMOVE}
 * @param entityType the item's {@code type} ({@code job}, {@code BUILD}, ...; any case)
 * @param entityId the entity's id
 * @param oldImage the item before the change, {@code null} for an INSERT
 * @param newImage the item after the change, {@code null} for a REMOVE
 * @param at when the change happened (the record's {@code ApproximateCreationDateTime})
 */
public record StateChange(String eventId, String eventName, String entityType, String entityId,
                          JsonNode oldImage, JsonNode newImage, Instant at) {

    /** The DynamoDB Streams event names. */
    public static final Set<String> EVENT_NAMES = Set.of("INSERT", "MODIFY", "REMOVE");

    public StateChange {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventName, "eventName");
        Objects.requireNonNull(entityType, "entityType");
        Objects.requireNonNull(entityId, "entityId");
        Objects.requireNonNull(at, "at");
        if (!EVENT_NAMES.contains(eventName)) {
            throw new IllegalArgumentException("eventName must be INSERT, MODIFY or REMOVE, was " + eventName);
        }
        if (oldImage == null && newImage == null) {
            throw new IllegalArgumentException("a state change needs an old or a new image");
        }
    }
}
