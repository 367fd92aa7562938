package io.hybridci.aws.dynamodb;

import io.hybridci.core.job.Job;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.WriteResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * {@link JobRepository} on the {@code state} table. A build's jobs come from gsi1; active jobs
 * from the sparse gsi2, one partition per agent queue ({@code ACTIVE#<queue>}), so this adapter is
 * told the queue names (the keys of {@code JOB_QUEUE_URLS}): a job on a queue no agent queue
 * exists for could not be dispatched either.
 */
public final class DynamoDbJobRepository implements JobRepository {

    private final DynamoDbClient dynamo;
    private final String table;
    private final Set<String> queues;

    public DynamoDbJobRepository(DynamoDbClient dynamo, String stateTable, Set<String> agentQueues) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(stateTable, "stateTable");
        this.queues = new TreeSet<>(agentQueues);
    }

    @Override
    public Optional<Job> find(String jobId) {
        return Tables.get(dynamo, table, JobItems.key(jobId)).map(JobItems::fromItem);
    }

    @Override
    public WriteResult<Job> create(Job job) {
        if (Tables.putIfAbsent(dynamo, table, JobItems.toItem(job), StateItems.PK)) {
            return new WriteResult.Written<>(job);
        }
        return new WriteResult.Conflict<>(find(job.id()));
    }

    @Override
    public WriteResult<Job> update(Job next, long expectedVersion) {
        if (Tables.putIfVersion(dynamo, table, JobItems.toItem(next), expectedVersion)) {
            return new WriteResult.Written<>(next);
        }
        return new WriteResult.Conflict<>(find(next.id()));
    }

    @Override
    public List<Job> jobsOfBuild(String buildId) {
        var request = QueryRequest.builder().tableName(table).indexName(StateItems.GSI1)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :job)")
                .expressionAttributeNames(Map.of("#pk", StateItems.GSI1_PK, "#sk", StateItems.GSI1_SK))
                .expressionAttributeValues(Map.of(":pk", Attributes.s(JobItems.buildPartition(buildId)),
                        ":job", Attributes.s("JOB#")))
                .build();
        // The index orders by "JOB#<key>#<attempt>"; sorting by (key, attempt) in memory as well keeps the
        // documented order for keys containing characters that sort before '#'.
        return Tables.queryAll(dynamo, request).stream().map(JobItems::fromItem)
                .sorted(Comparator.comparing(Job::key).thenComparingInt(Job::attempt)).toList();
    }

    @Override
    public List<Job> activeJobs() {
        List<Job> active = new ArrayList<>();
        for (String queue : queues) {
            var request = QueryRequest.builder().tableName(table).indexName(StateItems.GSI2)
                    .keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", StateItems.GSI2_PK))
                    .expressionAttributeValues(Map.of(":pk", Attributes.s(JobItems.activePartition(queue))))
                    .build();
            Tables.queryAll(dynamo, request).stream().map(JobItems::fromItem).forEach(active::add);
        }
        active.sort(Comparator.comparing(Job::id));
        return active;
    }
}
