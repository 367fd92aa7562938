package io.hybridci.aws.dynamodb;

import io.hybridci.core.port.DeliveryLog;
import java.time.Instant;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;

/** {@link DeliveryLog} as {@code DELIVERY#<id>} items on the {@code state} table, expired by TTL. */
public final class DynamoDbDeliveryLog implements DeliveryLog {
    private static final String SK_VALUE = "DELIVERY";

    private final DynamoDbClient dynamo;
    private final String table;
    private final String actor;

    /** @param actor who records deliveries, e.g. {@code system:webhook-intake} */
    public DynamoDbDeliveryLog(DynamoDbClient dynamo, String stateTable, String actor) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(stateTable, "stateTable");
        this.actor = Objects.requireNonNull(actor, "actor");
    }

    @Override
    public boolean firstDelivery(String deliveryId, Instant at, Instant forgetAt) {
        var item = StateItems.item("DELIVERY#" + deliveryId, SK_VALUE, EntityType.DELIVERY, 1, at, actor);
        item.put("deliveryId", Attributes.s(deliveryId));
        item.put("receivedAt", Attributes.s(at.toString()));
        Attributes.putEpochSeconds(item, StateItems.EXPIRES_AT, forgetAt);
        return Tables.putIfAbsent(dynamo, table, item, StateItems.PK);
    }

    @Override
    public void forget(String deliveryId) {
        dynamo.deleteItem(DeleteItemRequest.builder().tableName(table)
                .key(StateItems.key("DELIVERY#" + deliveryId, SK_VALUE)).build());
    }
}
