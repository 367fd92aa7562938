package io.hybridci.aws.dynamodb;

import io.hybridci.core.port.ConcurrencyGroup;
import io.hybridci.core.port.ConcurrencySlots;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link ConcurrencySlots} as one {@code CONCURRENCY#<group>} / {@code CONCURRENCY} item per group in the state
 * table: {@code holders} and {@code waiters} (lists of job ids, oldest first) and {@code version}. Each change is
 * a consistent read, the decision of {@link ConcurrencyGroup}, and a put conditional on the version read (absent
 * for the first); a lost race re-reads. Single-item writes only: no transaction is needed because the group's
 * whole state is this one item.
 */
public final class DynamoDbConcurrencySlots implements ConcurrencySlots {

    /** How often a lost conditional write is re-read and re-decided before giving up (the caller's record is retried). */
    static final int MAX_WRITE_ATTEMPTS = 10;

    private static final String SORT_KEY = "CONCURRENCY";

    private final DynamoDbClient dynamo;
    private final String table;
    private final String actor;

    /** @param actor who writes, e.g. {@code system:state-reactor} */
    public DynamoDbConcurrencySlots(DynamoDbClient dynamo, String stateTable, String actor) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(stateTable, "stateTable");
        this.actor = Objects.requireNonNull(actor, "actor");
    }

    @Override
    public ConcurrencyGroup acquire(String group, int limit, String jobId, Instant at) {
        return change(group, at, stored -> stored.acquire(jobId, limit));
    }

    @Override
    public ConcurrencyGroup release(String group, String jobId, Instant at) {
        return change(group, at, stored -> stored.release(jobId));
    }

    @Override
    public ConcurrencyGroup find(String group) {
        return Tables.get(dynamo, table, StateItems.key(partitionKey(group), SORT_KEY))
                .map(item -> fromItem(group, item))
                .orElseGet(() -> ConcurrencyGroup.empty(group));
    }

    private ConcurrencyGroup change(String group, Instant at, UnaryOperator<ConcurrencyGroup> decision) {
        for (int attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
            ConcurrencyGroup stored = find(group);
            ConcurrencyGroup next = decision.apply(stored);
            if (next.version() == stored.version()) {
                // Nothing changed (a repeated acquire or release): no write, so a re-delivery costs one read.
                return stored;
            }
            Map<String, AttributeValue> item = toItem(next, at);
            boolean written = stored.version() == 0
                    ? Tables.putIfAbsent(dynamo, table, item, StateItems.PK)
                    : Tables.putIfVersion(dynamo, table, item, stored.version());
            if (written) {
                return next;
            }
        }
        throw new IllegalStateException("concurrency group " + group + " kept changing; giving up after "
                + MAX_WRITE_ATTEMPTS + " attempts");
    }

    private static String partitionKey(String group) {
        return "CONCURRENCY#" + group;
    }

    private Map<String, AttributeValue> toItem(ConcurrencyGroup group, Instant at) {
        var item = StateItems.item(partitionKey(group.name()), SORT_KEY, EntityType.CONCURRENCY_GROUP,
                group.version(), at, actor);
        // The audit-writer chains state items by id: concurrency:<group>.
        item.put("id", Attributes.s(group.name()));
        item.put("holders", Attributes.stringList(group.holders()));
        item.put("waiters", Attributes.stringList(group.waiters()));
        return item;
    }

    private static ConcurrencyGroup fromItem(String group, Map<String, AttributeValue> item) {
        return new ConcurrencyGroup(group, Attributes.stringList(item, "holders"), Attributes.stringList(item, "waiters"),
                Attributes.number(item, StateItems.VERSION));
    }
}
