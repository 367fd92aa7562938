package io.hybridci.aws.dynamodb;

import io.hybridci.core.deployment.Deployment;
import io.hybridci.core.deployment.Environment;
import io.hybridci.core.port.DeploymentStore;
import io.hybridci.core.port.Page;
import io.hybridci.core.port.WriteResult;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * {@link DeploymentStore} on the {@code state} table ({@link DeploymentItems}): strongly consistent GetItem by key,
 * puts conditional on the item's absence or its version, lists through gsi1.
 */
public final class DynamoDbDeploymentStore implements DeploymentStore {

    private static final List<String> GSI1_KEY =
            List.of(StateItems.PK, StateItems.SK, StateItems.GSI1_PK, StateItems.GSI1_SK);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbDeploymentStore(DynamoDbClient dynamo, String stateTable) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(stateTable, "stateTable");
    }

    @Override
    public Optional<Environment> findEnvironment(String name) {
        return Tables.get(dynamo, table, StateItems.key(DeploymentItems.environmentKey(name),
                DeploymentItems.ENVIRONMENT_SK)).map(DeploymentItems::environmentFromItem);
    }

    @Override
    public WriteResult<Environment> createEnvironment(Environment environment) {
        if (Tables.putIfAbsent(dynamo, table, DeploymentItems.toItem(environment), StateItems.PK)) {
            return new WriteResult.Written<>(environment);
        }
        return new WriteResult.Conflict<>(findEnvironment(environment.name()));
    }

    @Override
    public WriteResult<Environment> updateEnvironment(Environment next, long expectedVersion) {
        if (Tables.putIfVersion(dynamo, table, DeploymentItems.toItem(next), expectedVersion)) {
            return new WriteResult.Written<>(next);
        }
        return new WriteResult.Conflict<>(findEnvironment(next.name()));
    }

    @Override
    public List<Environment> environments() {
        var request = QueryRequest.builder().tableName(table).indexName(StateItems.GSI1)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", StateItems.GSI1_PK))
                .expressionAttributeValues(Map.of(":pk", Attributes.s(DeploymentItems.ALL_ENVIRONMENTS)))
                .build();
        return Tables.queryAll(dynamo, request).stream().map(DeploymentItems::environmentFromItem).toList();
    }

    @Override
    public Optional<Deployment> findDeployment(String id) {
        return Tables.get(dynamo, table, StateItems.key(DeploymentItems.deploymentKey(id), DeploymentItems.DEPLOYMENT_SK))
                .map(DeploymentItems::deploymentFromItem);
    }

    @Override
    public WriteResult<Deployment> createDeployment(Deployment deployment) {
        if (Tables.putIfAbsent(dynamo, table, DeploymentItems.toItem(deployment), StateItems.PK)) {
            return new WriteResult.Written<>(deployment);
        }
        return new WriteResult.Conflict<>(findDeployment(deployment.id()));
    }

    @Override
    public WriteResult<Deployment> updateDeployment(Deployment next, long expectedVersion) {
        if (Tables.putIfVersion(dynamo, table, DeploymentItems.toItem(next), expectedVersion)) {
            return new WriteResult.Written<>(next);
        }
        return new WriteResult.Conflict<>(findDeployment(next.id()));
    }

    @Override
    public Page<Deployment> history(String environment, int limit, Optional<String> cursor) {
        var request = QueryRequest.builder().tableName(table).indexName(StateItems.GSI1)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", StateItems.GSI1_PK))
                .expressionAttributeValues(Map.of(":pk", Attributes.s(DeploymentItems.historyPartition(environment))))
                .scanIndexForward(false);
        return Tables.page(dynamo, request, limit, cursor, GSI1_KEY, DeploymentItems::deploymentFromItem);
    }
}
