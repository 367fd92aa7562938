package io.hybridci.audit;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.aws.lambda.StreamBatch;
import io.hybridci.aws.config.AwsClients;
import io.hybridci.aws.config.FunctionConfig;
import io.hybridci.aws.dynamodb.DynamoDbAuditLog;
import io.hybridci.aws.dynamodb.EntityType;
import io.hybridci.aws.dynamodb.StreamImages;
import io.hybridci.core.auditing.AuditWriter;
import io.hybridci.core.auditing.StateChange;
import io.hybridci.topology.EnvironmentNames;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The audit-writer function: every record of the {@code state} table's stream → one record on the
 * item's hash chain ({@link AuditWriter}). Returns a partial batch response (see {@link StreamBatch}).
 *
 * <p>The chain is {@code <type>:<id>}: the item's {@code type} attribute and its {@code id}
 * attribute, or, for items without one (deliveries, agent messages, sessions), the partition key
 * after its {@code TYPE#} prefix, so every message of a job shares the chain {@code agentmsg:<jobId>}.
 */
public final class AuditWriterHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private final AuditWriter writer;

    /** For Lambda: the DynamoDB audit log built from the environment, once per container. */
    public AuditWriterHandler() {
        this(fromEnvironment(System.getenv()));
    }

    /** For tests and the local cloud: the writer built on whatever audit log the caller chose. */
    public AuditWriterHandler(AuditWriter writer) {
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return StreamBatch.process(event, this::write);
    }

    /** The writer on the DynamoDB audit table; fails naming the first missing environment variable. */
    static AuditWriter fromEnvironment(Map<String, String> env) {
        FunctionConfig config = FunctionConfig.fromEnv(env);
        String auditTable = FunctionConfig.require(config.auditTable(), EnvironmentNames.AUDIT_TABLE);
        return new AuditWriter(new DynamoDbAuditLog(AwsClients.from(config).dynamoDb(), auditTable));
    }

    private void write(DynamodbEvent.DynamodbStreamRecord record) {
        writer.write(changeOf(record));
    }

    static StateChange changeOf(DynamodbEvent.DynamodbStreamRecord record) {
        Map<String, AttributeValue> oldItem = StreamImages.oldImage(record).orElse(null);
        Map<String, AttributeValue> newItem = StreamImages.newImage(record).orElse(null);
        Map<String, AttributeValue> image = newItem != null ? newItem : oldItem;
        Map<String, AttributeValue> keys = StreamImages.keys(record);
        String partition = keys.containsKey("pk") ? keys.get("pk").s() : image.get("pk").s();
        String type = StreamImages.entityType(record).map(EntityType::wireName)
                .orElseGet(() -> partition.substring(0, Math.max(0, partition.indexOf('#'))).toLowerCase(Locale.ROOT));
        String id = image.containsKey("id") && image.get("id").s() != null
                ? image.get("id").s()
                : partition.substring(partition.indexOf('#') + 1);
        JsonNode before = oldItem == null ? null : ItemJson.of(oldItem);
        JsonNode after = newItem == null ? null : ItemJson.of(newItem);
        // ApproximateCreationDateTime: when DynamoDB wrote the change (second precision in AWS).
        Instant at = record.getDynamodb().getApproximateCreationDateTime().toInstant();
        return new StateChange(record.getEventID(), record.getEventName(), type.isEmpty() ? "item" : type, id,
                before, after, at);
    }
}
