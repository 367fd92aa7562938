package io.hybridci.aws.dynamodb;

import static io.hybridci.aws.dynamodb.Attributes.s;

import io.hybridci.core.port.Page;
import io.hybridci.core.port.RegistrationToken;
import io.hybridci.core.port.RegistrationTokenCatalog;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link RegistrationTokenCatalog} on the {@code state} table: the {@code REGTOKEN#<sha256>} items that
 * {@link DynamoDbCredentialStore} writes, listed through {@code gsi1} ({@code REGTOKENS} /
 * {@code <createdAt>#<id>}, oldest first) and revoked with a conditional update. An id is found through
 * the same partition: the admin knows ids, the table is keyed by hash, and a handful of tokens exist.
 */
public final class DynamoDbRegistrationTokenCatalog implements RegistrationTokenCatalog {
    private static final String REGTOKEN = "REGTOKEN";
    private static final String ALL_TOKENS = "REGTOKENS";
    private static final List<String> GSI1_KEY = List.of(StateItems.PK, StateItems.SK, StateItems.GSI1_PK, StateItems.GSI1_SK);

    private final DynamoDbClient dynamo;
    private final String table;
    private final String actor;
    private final Clock clock;

    public DynamoDbRegistrationTokenCatalog(DynamoDbClient dynamo, String stateTable, String actor, Clock clock) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(stateTable, "stateTable");
        this.actor = Objects.requireNonNull(actor, "actor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Page<RegistrationToken> listRegistrationTokens(int limit, Optional<String> cursor) {
        return Tables.page(dynamo, allTokens(), limit, cursor, GSI1_KEY, DynamoDbRegistrationTokenCatalog::token);
    }

    @Override
    public Optional<RegistrationToken> registrationTokenById(String id) {
        // The id is the last part of gsi1sk; the filter spares reading every item back to the client.
        var request = allTokens().filterExpression("#id = :id")
                .expressionAttributeNames(Map.of("#pk", StateItems.GSI1_PK, "#id", "id"))
                .expressionAttributeValues(Map.of(":pk", s(ALL_TOKENS), ":id", s(id))).build();
        return Tables.queryAll(dynamo, request).stream().findFirst().map(DynamoDbRegistrationTokenCatalog::token);
    }

    @Override
    public boolean revokeRegistrationToken(String id) {
        Optional<RegistrationToken> found = registrationTokenById(id);
        if (found.isEmpty()) {
            return false;
        }
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table)
                    .key(StateItems.key(REGTOKEN + "#" + found.get().tokenHash(), REGTOKEN))
                    .conditionExpression("attribute_exists(#pk) AND #revoked = :false")
                    .updateExpression("SET #revoked = :true, #updatedAt = :now, #lastActor = :actor ADD #version :one")
                    .expressionAttributeNames(Map.of("#pk", StateItems.PK, "#revoked", "revoked",
                            "#updatedAt", StateItems.UPDATED_AT, "#lastActor", StateItems.LAST_ACTOR,
                            "#version", StateItems.VERSION))
                    .expressionAttributeValues(Map.of(":true", Attributes.bool(true), ":false", Attributes.bool(false),
                            ":now", s(clock.instant().toString()), ":actor", s(actor), ":one", Attributes.n(1)))
                    .build());
        } catch (ConditionalCheckFailedException alreadyRevoked) {
            // Idempotent: revoked before.
        }
        return true;
    }

    private QueryRequest.Builder allTokens() {
        return QueryRequest.builder().tableName(table).indexName(StateItems.GSI1)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", StateItems.GSI1_PK))
                .expressionAttributeValues(Map.of(":pk", s(ALL_TOKENS)));
    }

    private static RegistrationToken token(Map<String, AttributeValue> item) {
        return new RegistrationToken(Attributes.string(item, "id"), Attributes.string(item, "tokenHash"),
                Attributes.nullableString(item, "description"), Attributes.stringList(item, "allowedQueues"),
                Attributes.nullableInstant(item, "createdAt"), Attributes.nullableInstant(item, "tokenExpiresAt"),
                Attributes.bool(item, "revoked"));
    }
}
