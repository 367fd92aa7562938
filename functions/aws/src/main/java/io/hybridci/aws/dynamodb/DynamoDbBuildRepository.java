package io.hybridci.aws.dynamodb;

import io.hybridci.core.build.Build;
import io.hybridci.core.port.BuildRepository;
import io.hybridci.core.port.Page;
import io.hybridci.core.port.WriteResult;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** {@link BuildRepository} on the {@code state} table (docs/data-model.md). */
public final class DynamoDbBuildRepository implements BuildRepository {
    private static final List<String> GSI1_KEY = List.of(StateItems.PK, StateItems.SK, StateItems.GSI1_PK, StateItems.GSI1_SK);
    private static final List<String> GSI2_KEY = List.of(StateItems.PK, StateItems.SK, StateItems.GSI2_PK, StateItems.GSI2_SK);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbBuildRepository(DynamoDbClient dynamo, String stateTable) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(stateTable, "stateTable");
    }

    @Override
    public Optional<Build> find(String buildId) {
        return Tables.get(dynamo, table, BuildItems.key(buildId)).map(BuildItems::fromItem);
    }

    @Override
    public WriteResult<Build> create(Build build) {
        if (Tables.putIfAbsent(dynamo, table, BuildItems.toItem(build), StateItems.PK)) {
            return new WriteResult.Written<>(build);
        }
        return new WriteResult.Conflict<>(find(build.id()));
    }

    @Override
    public WriteResult<Build> update(Build next, long expectedVersion) {
        if (Tables.putIfVersion(dynamo, table, BuildItems.toItem(next), expectedVersion)) {
            return new WriteResult.Written<>(next);
        }
        return new WriteResult.Conflict<>(find(next.id()));
    }

    @Override
    public Page<Build> listNewestFirst(int limit, Optional<String> cursor) {
        var request = QueryRequest.builder().tableName(table).indexName(StateItems.GSI1)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", StateItems.GSI1_PK))
                .expressionAttributeValues(Map.of(":pk", Attributes.s(BuildItems.ALL_BUILDS)))
                .scanIndexForward(false);
        return Tables.page(dynamo, request, limit, cursor, GSI1_KEY, BuildItems::fromItem);
    }

    @Override
    public Page<Build> listOnBranchNewestFirst(String repo, String branch, int limit, Optional<String> cursor) {
        // gsi2 holds only builds (jobs and agents do not write gsi2pk BRANCH#...), sorted by <createdAt>#<id>.
        var request = QueryRequest.builder().tableName(table).indexName(StateItems.GSI2)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", StateItems.GSI2_PK))
                .expressionAttributeValues(Map.of(":pk", Attributes.s(BuildItems.branchPartition(repo, branch))))
                .scanIndexForward(false);
        return Tables.page(dynamo, request, limit, cursor, GSI2_KEY, BuildItems::fromItem);
    }
}
