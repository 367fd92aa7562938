package io.hybridci.topology;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A DynamoDB table. {@code sortKey} is null for hash-only tables, {@code ttlAttribute} null when
 * items never expire. Tables are on-demand everywhere, so no capacity numbers live here.
 * {@code pointInTimeRecovery} matters only in AWS (the local engine has no backups).
 */
public record TableSpec(String name, KeyAttribute partitionKey, KeyAttribute sortKey, List<Gsi> globalSecondaryIndexes,
                        boolean streamNewAndOldImages, String ttlAttribute, boolean pointInTimeRecovery) {

    public TableSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(partitionKey, "partitionKey");
        globalSecondaryIndexes = List.copyOf(globalSecondaryIndexes);
    }

    /** The sort key, if the table has one. */
    public Optional<KeyAttribute> findSortKey() {
        return Optional.ofNullable(sortKey);
    }

    /** The TTL attribute, if items of this table expire. */
    public Optional<String> findTtlAttribute() {
        return Optional.ofNullable(ttlAttribute);
    }

    /** A global secondary index projecting all attributes. */
    public record Gsi(String name, KeyAttribute partitionKey, KeyAttribute sortKey) {
        public Gsi {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(partitionKey, "partitionKey");
        }
    }
}
