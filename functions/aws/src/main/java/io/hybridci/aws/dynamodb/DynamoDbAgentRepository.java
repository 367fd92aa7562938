package io.hybridci.aws.dynamodb;

import io.hybridci.core.agent.Agent;
import io.hybridci.core.port.AgentRepository;
import io.hybridci.core.port.Page;
import io.hybridci.core.port.WriteResult;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** {@link AgentRepository} on the {@code state} table; live agents come from the sparse gsi2. */
public final class DynamoDbAgentRepository implements AgentRepository {
    private static final List<String> GSI1_KEY = List.of(StateItems.PK, StateItems.SK, StateItems.GSI1_PK, StateItems.GSI1_SK);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbAgentRepository(DynamoDbClient dynamo, String stateTable) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(stateTable, "stateTable");
    }

    @Override
    public Optional<Agent> find(String agentId) {
        return Tables.get(dynamo, table, AgentItems.key(agentId)).map(AgentItems::fromItem);
    }

    @Override
    public WriteResult<Agent> create(Agent agent) {
        if (Tables.putIfAbsent(dynamo, table, AgentItems.toItem(agent), StateItems.PK)) {
            return new WriteResult.Written<>(agent);
        }
        return new WriteResult.Conflict<>(find(agent.id()));
    }

    @Override
    public WriteResult<Agent> update(Agent next, long expectedVersion) {
        if (Tables.putIfVersion(dynamo, table, AgentItems.toItem(next), expectedVersion)) {
            return new WriteResult.Written<>(next);
        }
        return new WriteResult.Conflict<>(find(next.id()));
    }

    @Override
    public List<Agent> liveAgents() {
        var request = QueryRequest.builder().tableName(table).indexName(StateItems.GSI2)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", StateItems.GSI2_PK))
                .expressionAttributeValues(Map.of(":pk", Attributes.s(AgentItems.LIVE_AGENTS)))
                .build();
        return Tables.queryAll(dynamo, request).stream().map(AgentItems::fromItem).toList();
    }

    @Override
    public Page<Agent> list(int limit, Optional<String> cursor) {
        var request = QueryRequest.builder().tableName(table).indexName(StateItems.GSI1)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", StateItems.GSI1_PK))
                .expressionAttributeValues(Map.of(":pk", Attributes.s(AgentItems.ALL_AGENTS)));
        return Tables.page(dynamo, request, limit, cursor, GSI1_KEY, AgentItems::fromItem);
    }
}
