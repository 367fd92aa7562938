package io.hybridci.aws.dynamodb;

import io.hybridci.core.port.LogStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** {@link LogStore} on the {@code logs} table ({@code jobId} / {@code seq}), expired by TTL. */
public final class DynamoDbLogStore implements LogStore {

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbLogStore(DynamoDbClient dynamo, String logsTable) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(logsTable, "logsTable");
    }

    @Override
    public boolean append(LogChunk chunk, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("jobId", Attributes.s(chunk.jobId()));
        item.put("seq", Attributes.n(chunk.seq()));
        item.put("offset", Attributes.n(chunk.offset()));
        item.put("chunk", Attributes.s(chunk.chunk()));
        item.put("at", Attributes.s(chunk.at().toString()));
        Attributes.putEpochSeconds(item, StateItems.EXPIRES_AT, expiresAt);
        return Tables.putIfAbsent(dynamo, table, item, "seq");
    }

    @Override
    public List<LogChunk> read(String jobId, long afterSeq, int limit) {
        var response = dynamo.query(QueryRequest.builder().tableName(table)
                .keyConditionExpression("#job = :job AND #seq > :after")
                .expressionAttributeNames(Map.of("#job", "jobId", "#seq", "seq"))
                .expressionAttributeValues(Map.of(":job", Attributes.s(jobId), ":after", Attributes.n(afterSeq)))
                .consistentRead(true)
                .limit(limit)
                .build());
        return response.items().stream().map(item -> new LogChunk(Attributes.string(item, "jobId"),
                Attributes.number(item, "seq"), Attributes.number(item, "offset"), Attributes.string(item, "chunk"),
                Attributes.instant(item, "at"))).toList();
    }
}
