package io.hybridci.infra;

import io.hybridci.topology.KeyAttribute;
import io.hybridci.topology.TableSpec;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.constructs.Construct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The DynamoDB tables of the topology: on-demand (idle costs nothing but storage), keys, GSIs,
 * stream, TTL and point-in-time recovery exactly as {@link TableSpec} says. Physical names are
 * left to CloudFormation so two stacks can share an account; functions learn them from
 * environment variables.
 */
public final class DataTables extends Construct {

    private final Map<String, Table> byName = new LinkedHashMap<>();

    private final boolean production;

    /**
     * @param production whether the stack is the production one: its tables get deletion protection,
     *                   so not even a CloudFormation replacement can drop builds and the audit trail
     */
    public DataTables(Construct scope, String id, List<TableSpec> specs, boolean production) {
        super(scope, id);
        this.production = production;
        for (TableSpec spec : specs) {
            byName.put(spec.name(), create(spec));
        }
    }

    /** The table built from the spec of this name. */
    public Table table(String name) {
        Table table = byName.get(name);
        if (table == null) {
            throw new NoSuchElementException("no table '" + name + "'; known: " + byName.keySet());
        }
        return table;
    }

    /** Every table, by topology name, in topology order. */
    public Map<String, Table> all() {
        return Map.copyOf(byName);
    }

    private Table create(TableSpec spec) {
        Table.Builder builder = Table.Builder.create(this, constructId(spec.name()))
                .partitionKey(attribute(spec.partitionKey()))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .deletionProtection(production)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(spec.pointInTimeRecovery())
                        .build());
        spec.findSortKey().ifPresent(sortKey -> builder.sortKey(attribute(sortKey)));
        spec.findTtlAttribute().ifPresent(builder::timeToLiveAttribute);
        if (spec.streamNewAndOldImages()) {
            builder.stream(StreamViewType.NEW_AND_OLD_IMAGES);
        }
        Table table = builder.build();
        for (TableSpec.Gsi gsi : spec.globalSecondaryIndexes()) {
            GlobalSecondaryIndexProps.Builder index = GlobalSecondaryIndexProps.builder()
                    .indexName(gsi.name())
                    .partitionKey(attribute(gsi.partitionKey()))
                    // ALL: the access patterns read whole items from the index; a KEYS_ONLY index
                    // would cost a second read per item.
                    .projectionType(ProjectionType.ALL);
            if (gsi.sortKey() != null) {
                index.sortKey(attribute(gsi.sortKey()));
            }
            table.addGlobalSecondaryIndex(index.build());
        }
        return table;
    }

    private static Attribute attribute(KeyAttribute key) {
        AttributeType type = switch (key.type()) {
            case S -> AttributeType.STRING;
            case N -> AttributeType.NUMBER;
        };
        return Attribute.builder().name(key.name()).type(type).build();
    }

    /** {@code state} → {@code StateTable}: readable logical ids in the template. */
    private static String constructId(String tableName) {
        StringBuilder id = new StringBuilder();
        for (String word : tableName.split("-")) {
            id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return id.append("Table").toString();
    }
}
