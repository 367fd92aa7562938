package io.hybridci.aws.dynamodb;

import io.hybridci.topology.KeyAttribute;
import io.hybridci.topology.TableSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Creates the tables of topology's {@link TableSpec}s with CreateTable, for the local cloud and the
 * integration tests (in AWS the CDK app creates them from the same specs). Idempotent: a table that
 * exists is left as it is.
 */
public final class TableCreator {

    private final DynamoDbClient dynamo;

    public TableCreator(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    /**
     * Creates {@code spec} under {@code physicalName} and waits until it is ACTIVE; false when it
     * already existed. Even with {@code --createTableMs 0} dynalite answers CreateTable before the
     * table takes writes, so the wait is needed locally too.
     */
    public boolean create(TableSpec spec, String physicalName) {
        boolean created;
        try {
            dynamo.createTable(request(spec, physicalName));
            created = true;
        } catch (ResourceInUseException exists) {
            created = false;
        }
        awaitActive(physicalName, Duration.ofMinutes(2));
        return created;
    }

    /** Polls DescribeTable (20 ms, doubling up to 1 s) until the table and its indexes are ACTIVE. */
    public void awaitActive(String physicalName, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 20;
        while (true) {
            try {
                var table = dynamo.describeTable(DescribeTableRequest.builder().tableName(physicalName).build()).table();
                boolean indexesActive = !table.hasGlobalSecondaryIndexes() || table.globalSecondaryIndexes().stream()
                        .allMatch(index -> index.indexStatus() == null || index.indexStatus() == IndexStatus.ACTIVE);
                if (table.tableStatus() == TableStatus.ACTIVE && indexesActive) {
                    return;
                }
            } catch (ResourceNotFoundException notYetVisible) {
                // keep polling
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("table " + physicalName + " is not ACTIVE after " + timeout);
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for table " + physicalName, e);
            }
            pauseMillis = Math.min(1000, pauseMillis * 2);
        }
    }

    /** Creates every table under its logical name. */
    public void createAll(List<TableSpec> specs) {
        specs.forEach(spec -> create(spec, spec.name()));
    }

    static CreateTableRequest request(TableSpec spec, String physicalName) {
        Map<String, KeyAttribute> attributes = new LinkedHashMap<>();
        attributes.put(spec.partitionKey().name(), spec.partitionKey());
        spec.findSortKey().ifPresent(key -> attributes.put(key.name(), key));
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (TableSpec.Gsi gsi : spec.globalSecondaryIndexes()) {
            attributes.put(gsi.partitionKey().name(), gsi.partitionKey());
            if (gsi.sortKey() != null) {
                attributes.put(gsi.sortKey().name(), gsi.sortKey());
            }
            indexes.add(GlobalSecondaryIndex.builder().indexName(gsi.name())
                    .keySchema(keySchema(gsi.partitionKey(), gsi.sortKey()))
                    .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                    .build());
        }
        var request = CreateTableRequest.builder().tableName(physicalName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attributes.values().stream().map(key -> AttributeDefinition.builder()
                        .attributeName(key.name())
                        .attributeType(key.type() == KeyAttribute.AttributeType.S ? ScalarAttributeType.S : ScalarAttributeType.N)
                        .build()).toList())
                .keySchema(keySchema(spec.partitionKey(), spec.sortKey()));
        if (!indexes.isEmpty()) {
            request.globalSecondaryIndexes(indexes);
        }
        if (spec.streamNewAndOldImages()) {
            request.streamSpecification(StreamSpecification.builder().streamEnabled(true)
                    .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build());
        }
        return request.build();
    }

    private static List<KeySchemaElement> keySchema(KeyAttribute partition, KeyAttribute sort) {
        List<KeySchemaElement> schema = new ArrayList<>();
        schema.add(KeySchemaElement.builder().attributeName(partition.name()).keyType(KeyType.HASH).build());
        if (sort != null) {
            schema.add(KeySchemaElement.builder().attributeName(sort.name()).keyType(KeyType.RANGE).build());
        }
        return schema;
    }
}
