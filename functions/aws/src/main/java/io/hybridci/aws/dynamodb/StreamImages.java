package io.hybridci.aws.dynamodb;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.transformers.v2.dynamodb.DynamodbAttributeValueTransformer;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The images of a DynamoDB stream record as SDK v2 items, so the item mappers
 * ({@link JobItems#fromItem}, ...) read stream records and table reads alike.
 *
 * <p>{@link DynamodbEvent} carries the events library's own {@code AttributeValue}; AWS's
 * transformer library converts it (rather than a hand-written mapping that would drift on
 * sets, binaries and nested maps).
 */
public final class StreamImages {

    private StreamImages() {
    }

    /** The item after the change; empty for a REMOVE. */
    public static Optional<Map<String, AttributeValue>> newImage(DynamodbEvent.DynamodbStreamRecord record) {
        return convert(record.getDynamodb() == null ? null : record.getDynamodb().getNewImage());
    }

    /** The item before the change; empty for an INSERT. */
    public static Optional<Map<String, AttributeValue>> oldImage(DynamodbEvent.DynamodbStreamRecord record) {
        return convert(record.getDynamodb() == null ? null : record.getDynamodb().getOldImage());
    }

    /** The changed item's primary key. */
    public static Map<String, AttributeValue> keys(DynamodbEvent.DynamodbStreamRecord record) {
        return convert(record.getDynamodb() == null ? null : record.getDynamodb().getKeys()).orElse(Map.of());
    }

    /**
     * The entity type of the changed item, from the new image's {@code type} (the old image's for
     * a REMOVE); empty when the item carries no known type.
     */
    public static Optional<EntityType> entityType(DynamodbEvent.DynamodbStreamRecord record) {
        return newImage(record).or(() -> oldImage(record)).flatMap(EntityType::of);
    }

    private static Optional<Map<String, AttributeValue>> convert(
            Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        if (image == null || image.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(DynamodbAttributeValueTransformer.toAttributeValueMapV2(image));
    }
}
