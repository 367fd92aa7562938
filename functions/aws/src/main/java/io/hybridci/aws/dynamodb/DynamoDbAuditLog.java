package io.hybridci.aws.dynamodb;

import io.hybridci.core.audit.AuditRecord;
import io.hybridci.core.port.AuditLog;
import io.hybridci.core.port.Page;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * {@link AuditLog} on the {@code audit} table. Records are inserted with
 * {@code attribute_not_exists(seq)}, never updated.
 *
 * <p>Chain names for verification come from a registry partition, {@link #REGISTRY_CHAIN}, in the
 * same table (no scan, and no GSI on a table that only grows): the first record of a chain first
 * puts {@code {chain: "#chains", seq: <96-bit number from SHA-256(name)>, name}}. The table's sort
 * key is a number, so the registry's seq is derived from the name (collisions would need 2^48
 * chains). The registry entry is written before the record, so a crash between the two leaves an
 * empty chain listed, never a record that verification cannot find. Entity chains are
 * {@code <type>:<id>} and never collide with {@code #chains}.
 */
public final class DynamoDbAuditLog implements AuditLog {
    /** The partition that lists every chain. */
    public static final String REGISTRY_CHAIN = "#chains";
    private static final List<String> KEY = List.of("chain", "seq");

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbAuditLog(DynamoDbClient dynamo, String auditTable) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(auditTable, "auditTable");
    }

    @Override
    public List<StoredRecord> newest(String chain, int n) {
        var response = dynamo.query(byChain(chain).scanIndexForward(false).limit(n).consistentRead(true).build());
        return response.items().stream().map(AuditItems::fromItem).toList();
    }

    @Override
    public boolean append(AuditRecord record, String sourceEventId) {
        if (record.seq() == 1) {
            register(record.chain());
        }
        return Tables.putIfAbsent(dynamo, table, AuditItems.toItem(record, sourceEventId), "seq");
    }

    @Override
    public Page<String> chains(int limit, Optional<String> cursor) {
        return Tables.page(dynamo, byChain(REGISTRY_CHAIN).consistentRead(true), limit, cursor, KEY,
                item -> Attributes.string(item, "name"));
    }

    @Override
    public Page<AuditRecord> read(String chain, int limit, Optional<String> cursor) {
        return Tables.page(dynamo, byChain(chain).consistentRead(true), limit, cursor, KEY,
                item -> AuditItems.fromItem(item).record());
    }

    private void register(String chain) {
        Map<String, AttributeValue> entry = new HashMap<>();
        entry.put("chain", Attributes.s(REGISTRY_CHAIN));
        entry.put("seq", AttributeValue.fromN(registrySeq(chain).toString()));
        entry.put("name", Attributes.s(chain));
        // Already registered (a re-delivery, or a writer that lost the race for seq 1): nothing to do.
        Tables.putIfAbsent(dynamo, table, entry, "seq");
    }

    static BigInteger registrySeq(String chain) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(chain.getBytes(StandardCharsets.UTF_8));
            return new BigInteger(1, Arrays.copyOf(digest, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private QueryRequest.Builder byChain(String chain) {
        return QueryRequest.builder().tableName(table)
                .keyConditionExpression("#chain = :chain")
                .expressionAttributeNames(Map.of("#chain", "chain"))
                .expressionAttributeValues(Map.of(":chain", Attributes.s(chain)));
    }
}
