package io.hybridci.aws.dynamodb;

import io.hybridci.core.port.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** The few DynamoDB calls every adapter makes, with our conventions (conditional puts, paging). */
final class Tables {

    static final List<String> STATE_KEY = List.of(StateItems.PK, StateItems.SK);

    private Tables() {
    }

    /** A strongly consistent GetItem: decisions are taken from it. */
    static Optional<Map<String, AttributeValue>> get(DynamoDbClient dynamo, String table, Map<String, AttributeValue> key) {
        var response = dynamo.getItem(GetItemRequest.builder().tableName(table).key(key).consistentRead(true).build());
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
    }

    /** PutItem under {@code condition}; false when the condition failed. */
    static boolean putIf(DynamoDbClient dynamo, String table, Map<String, AttributeValue> item, String condition,
                         Map<String, String> names, Map<String, AttributeValue> values) {
        var request = PutItemRequest.builder().tableName(table).item(item).conditionExpression(condition);
        if (!names.isEmpty()) {
            request.expressionAttributeNames(names);
        }
        if (!values.isEmpty()) {
            request.expressionAttributeValues(values);
        }
        try {
            dynamo.putItem(request.build());
            return true;
        } catch (ConditionalCheckFailedException lostRace) {
            return false;
        }
    }

    static boolean putIfAbsent(DynamoDbClient dynamo, String table, Map<String, AttributeValue> item, String keyAttribute) {
        return putIf(dynamo, table, item, "attribute_not_exists(#k)", Map.of("#k", keyAttribute), Map.of());
    }

    /** Put replacing the item only if its stored {@code version} is {@code expected}. */
    static boolean putIfVersion(DynamoDbClient dynamo, String table, Map<String, AttributeValue> item, long expected) {
        return putIf(dynamo, table, item, "#v = :expected", Map.of("#v", StateItems.VERSION),
                Map.of(":expected", Attributes.n(expected)));
    }

    /** Every item a query matches, following LastEvaluatedKey (for the small per-build and sparse-index reads). */
    static List<Map<String, AttributeValue>> queryAll(DynamoDbClient dynamo, QueryRequest request) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse response = dynamo.query(start == null ? request
                    : request.toBuilder().exclusiveStartKey(start).build());
            items.addAll(response.items());
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    /**
     * One page of a query. Asks for one item more than {@code limit} so that the last page
     * carries no cursor (DynamoDB's own LastEvaluatedKey can point at an empty next page), and
     * builds the cursor from the last returned item's {@code keyNames} (table key plus index key).
     */
    static <T> Page<T> page(DynamoDbClient dynamo, QueryRequest.Builder request, int limit, Optional<String> cursor,
                            List<String> keyNames, Function<Map<String, AttributeValue>, T> mapper) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        cursor.map(Cursors::decode).ifPresent(request::exclusiveStartKey);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        QueryRequest base = request.limit(limit + 1).build();
        Map<String, AttributeValue> start = base.exclusiveStartKey();
        // A filtered or size-capped response may return fewer items than asked: keep reading.
        while (items.size() <= limit) {
            QueryResponse response = dynamo.query(start == null || start.isEmpty() ? base
                    : base.toBuilder().exclusiveStartKey(start).build());
            items.addAll(response.items());
            if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                break;
            }
            start = response.lastEvaluatedKey();
        }
        boolean more = items.size() > limit;
        List<Map<String, AttributeValue>> pageItems = more ? items.subList(0, limit) : items;
        Optional<String> next = more ? Optional.of(Cursors.after(pageItems.get(limit - 1), keyNames)) : Optional.empty();
        return new Page<>(pageItems.stream().map(mapper).toList(), next);
    }
}
