package io.hybridci.local.engine.dynamodb;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One change captured on a streaming table, with both images (the {@code NEW_AND_OLD_IMAGES} view).
 *
 * @param sequenceNumber increasing per table, never reused, starts at 1
 * @param eventId        unique id of the record (a UUID; AWS uses an opaque hex string)
 * @param eventName      INSERT, MODIFY or REMOVE
 * @param tableName      the table the write went to
 * @param approximateCreationDateTime when the change was captured
 * @param keys           the item's primary key attributes
 * @param oldImage       the item before the write, empty for INSERT
 * @param newImage       the item after the write, empty for REMOVE
 * @param byTimeToLive   true when the TTL sweeper deleted the item; AWS marks those records with the
 *                       userIdentity {@code {"type":"Service","principalId":"dynamodb.amazonaws.com"}}
 */
public record StreamRecord(
        long sequenceNumber,
        String eventId,
        StreamEventName eventName,
        String tableName,
        Instant approximateCreationDateTime,
        Map<String, AttributeValue> keys,
        Map<String, AttributeValue> oldImage,
        Map<String, AttributeValue> newImage,
        boolean byTimeToLive) {

    private static final BigInteger SEQUENCE_OFFSET = BigInteger.TEN.pow(20);

    public StreamRecord {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventName, "eventName");
        Objects.requireNonNull(tableName, "tableName");
        Objects.requireNonNull(approximateCreationDateTime, "approximateCreationDateTime");
        keys = Map.copyOf(keys);
        oldImage = Map.copyOf(oldImage);
        newImage = Map.copyOf(newImage);
        if (sequenceNumber < 1) {
            throw new IllegalArgumentException("sequence numbers start at 1: " + sequenceNumber);
        }
    }

    /**
     * The sequence number as DynamoDB Streams writes it: a decimal string. Offset by 10^20 so every one
     * has 21 digits and no leading zero, and string order equals numeric order.
     */
    public String sequenceNumberText() {
        return SEQUENCE_OFFSET.add(BigInteger.valueOf(sequenceNumber)).toString();
    }

    /** The inverse of {@link #sequenceNumberText()}: the log's sequence number behind a stream sequence string. */
    public static long sequenceNumberOf(String sequenceNumberText) {
        return new BigInteger(sequenceNumberText).subtract(SEQUENCE_OFFSET).longValueExact();
    }
}
