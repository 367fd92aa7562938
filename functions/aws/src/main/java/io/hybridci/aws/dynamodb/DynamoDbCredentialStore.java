package io.hybridci.aws.dynamodb;

import static io.hybridci.aws.dynamodb.Attributes.s;

import io.hybridci.core.port.AgentSession;
import io.hybridci.core.port.CredentialStore;
import io.hybridci.core.port.RegistrationToken;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link CredentialStore} on the {@code state} table: {@code REGTOKEN#<sha256>} and
 * {@code SESSION#<sha256>} items, addressed by the hash of the presented token (tokens themselves
 * are never stored). Signing keys are stored only through the {@link KeyProtector}, bound to the
 * session's token hash. {@code expiresAt} (epoch seconds) lets TTL remove expired credentials; the
 * exact expiry is kept beside it as an ISO string.
 */
public final class DynamoDbCredentialStore implements CredentialStore {
    private static final String REGTOKEN = "REGTOKEN";
    private static final String SESSION = "SESSION";

    private final DynamoDbClient dynamo;
    private final String table;
    private final KeyProtector keys;
    private final String actor;
    private final Clock clock;

    /** @param actor who writes, e.g. {@code system:api}, for the {@code lastActor} of token items */
    public DynamoDbCredentialStore(DynamoDbClient dynamo, String stateTable, KeyProtector keys, String actor, Clock clock) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(stateTable, "stateTable");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.actor = Objects.requireNonNull(actor, "actor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean putRegistrationToken(RegistrationToken token) {
        Instant at = token.createdAt() != null ? token.createdAt() : clock.instant();
        var item = StateItems.item(REGTOKEN + "#" + token.tokenHash(), REGTOKEN, EntityType.REGISTRATION_TOKEN, 1, at, actor);
        item.put("id", s(token.id()));
        item.put("tokenHash", s(token.tokenHash()));
        Attributes.putString(item, "description", token.description());
        item.put("allowedQueues", Attributes.stringList(token.allowedQueues()));
        Attributes.putInstant(item, "createdAt", token.createdAt());
        Attributes.putInstant(item, "tokenExpiresAt", token.expiresAt());
        Attributes.putEpochSeconds(item, StateItems.EXPIRES_AT, token.expiresAt());
        item.put("revoked", Attributes.bool(token.revoked()));
        if (token.createdAt() != null) {
            item.put(StateItems.GSI1_PK, s("REGTOKENS"));
            item.put(StateItems.GSI1_SK, s(StateItems.sortable(token.createdAt()) + "#" + token.id()));
        }
        return Tables.putIfAbsent(dynamo, table, item, StateItems.PK);
    }

    @Override
    public Optional<RegistrationToken> registrationTokenByHash(String tokenHash) {
        return Tables.get(dynamo, table, StateItems.key(REGTOKEN + "#" + tokenHash, REGTOKEN)).map(item ->
                new RegistrationToken(Attributes.string(item, "id"), Attributes.string(item, "tokenHash"),
                        Attributes.nullableString(item, "description"), Attributes.stringList(item, "allowedQueues"),
                        Attributes.nullableInstant(item, "createdAt"), Attributes.nullableInstant(item, "tokenExpiresAt"),
                        Attributes.bool(item, "revoked")));
    }

    @Override
    public boolean putSession(AgentSession session) {
        Instant at = session.issuedAt() != null ? session.issuedAt() : clock.instant();
        String context = sessionContext(session.tokenHash());
        var item = StateItems.item(SESSION + "#" + session.tokenHash(), SESSION, EntityType.SESSION, 1, at,
                "agent:" + session.agentId());
        item.put("tokenHash", s(session.tokenHash()));
        item.put("agentId", s(session.agentId()));
        Attributes.putInstant(item, "issuedAt", session.issuedAt());
        Attributes.putInstant(item, "sessionExpiresAt", session.expiresAt());
        Attributes.putEpochSeconds(item, StateItems.EXPIRES_AT, session.expiresAt());
        item.put("signingKeyProtected", s(keys.protect(session.signingKey(), context)));
        if (session.previousSigningKey() != null) {
            item.put("previousSigningKeyProtected", s(keys.protect(session.previousSigningKey(), context)));
        }
        item.put("revoked", Attributes.bool(session.revoked()));
        item.put(StateItems.GSI1_PK, s(sessionsOf(session.agentId())));
        item.put(StateItems.GSI1_SK, s(StateItems.sortable(at) + "#" + session.tokenHash()));
        return Tables.putIfAbsent(dynamo, table, item, StateItems.PK);
    }

    @Override
    public Optional<AgentSession> currentSessionOf(String agentId) {
        // Newest first through gsi1; an agent has a handful of sessions (one per renewal, expired ones
        // leave by TTL), so reading past a few revoked ones is cheap.
        var request = QueryRequest.builder().tableName(table).indexName(StateItems.GSI1)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", StateItems.GSI1_PK))
                .expressionAttributeValues(Map.of(":pk", s(sessionsOf(agentId))))
                .scanIndexForward(false)
                .build();
        for (var item : Tables.queryAll(dynamo, request)) {
            if (!Attributes.bool(item, "revoked")) {
                return Optional.of(session(item));
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<AgentSession> sessionByHash(String tokenHash) {
        return Tables.get(dynamo, table, StateItems.key(SESSION + "#" + tokenHash, SESSION)).map(this::session);
    }

    private AgentSession session(Map<String, AttributeValue> item) {
        String context = sessionContext(Attributes.string(item, "tokenHash"));
        return new AgentSession(Attributes.string(item, "tokenHash"), Attributes.string(item, "agentId"),
                Attributes.nullableInstant(item, "issuedAt"), Attributes.instant(item, "sessionExpiresAt"),
                keys.unprotect(Attributes.string(item, "signingKeyProtected"), context),
                Attributes.optionalString(item, "previousSigningKeyProtected")
                        .map(value -> keys.unprotect(value, context)).orElse(null),
                Attributes.bool(item, "revoked"));
    }

    /** The gsi1 partition of an agent's sessions, newest first by issue time. */
    static String sessionsOf(String agentId) {
        return "SESSIONS#" + agentId;
    }

    @Override
    public void revokeSession(String tokenHash) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table)
                    .key(StateItems.key(SESSION + "#" + tokenHash, SESSION))
                    .conditionExpression("attribute_exists(#pk) AND #revoked = :false")
                    .updateExpression("SET #revoked = :true, #updatedAt = :now, #lastActor = :actor ADD #version :one")
                    .expressionAttributeNames(Map.of("#pk", StateItems.PK, "#revoked", "revoked",
                            "#updatedAt", StateItems.UPDATED_AT, "#lastActor", StateItems.LAST_ACTOR,
                            "#version", StateItems.VERSION))
                    .expressionAttributeValues(Map.of(":true", Attributes.bool(true), ":false", Attributes.bool(false),
                            ":now", s(clock.instant().toString()), ":actor", s(actor), ":one", Attributes.n(1)))
                    .build());
        } catch (ConditionalCheckFailedException absentOrAlreadyRevoked) {
            // Idempotent by contract: nothing to revoke, or revoked before (no second audit record either).
        }
    }

    /** Binds a protected key to its session item, so it cannot be replayed onto another session. */
    private static String sessionContext(String tokenHash) {
        return "session:" + tokenHash;
    }
}
