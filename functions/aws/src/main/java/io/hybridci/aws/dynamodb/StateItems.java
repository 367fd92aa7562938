package io.hybridci.aws.dynamodb;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Attribute names shared by every item of the {@code state} table (docs/data-model.md) and the
 * helpers that write the common ones.
 */
public final class StateItems {

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String GSI1 = "gsi1";
    public static final String GSI1_PK = "gsi1pk";
    public static final String GSI1_SK = "gsi1sk";
    public static final String GSI2 = "gsi2";
    public static final String GSI2_PK = "gsi2pk";
    public static final String GSI2_SK = "gsi2sk";
    public static final String TYPE = "type";
    public static final String VERSION = "version";
    public static final String UPDATED_AT = "updatedAt";
    public static final String LAST_ACTOR = "lastActor";
    /** The table's TTL attribute: epoch seconds, as DynamoDB TTL requires. */
    public static final String EXPIRES_AT = "expiresAt";

    /**
     * Fixed-width UTC time with nanoseconds, for sort keys: {@link Instant#toString()} drops
     * trailing zero fractions, so "…:00Z" would sort after "…:00.5Z" as a string.
     */
    private static final DateTimeFormatter SORTABLE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private StateItems() {
    }

    /** {@code instant} as a string whose lexicographic order is its time order. */
    public static String sortable(Instant instant) {
        return SORTABLE.format(instant);
    }

    /** A new item with its key, type and the audit attributes every state item carries. */
    static Map<String, AttributeValue> item(String pk, String sk, EntityType type, long version, Instant updatedAt,
                                            String lastActor) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, Attributes.s(pk));
        item.put(SK, Attributes.s(sk));
        item.put(TYPE, type.attribute());
        item.put(VERSION, Attributes.n(version));
        item.put(UPDATED_AT, Attributes.s(updatedAt.toString()));
        item.put(LAST_ACTOR, Attributes.s(lastActor));
        return item;
    }

    /** The primary key of a state item. */
    public static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, Attributes.s(pk), SK, Attributes.s(sk));
    }
}
