package io.hybridci.local.engine.dynamodb;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.local.engine.LocalAws;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns captured stream records into what Lambda hands a DynamoDB-stream function: first the event JSON
 * Lambda sends, then, through Lambda's own serializer ({@code aws-lambda-java-serialization}), the
 * {@link DynamodbEvent} object a Java handler receives. Going through the JSON keeps every field exactly
 * as Lambda's runtime would fill it.
 */
public final class StreamEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PojoSerializer<DynamodbEvent> SERIALIZER =
            LambdaEventSerializers.serializerFor(DynamodbEvent.class, StreamEvents.class.getClassLoader());

    private StreamEvents() {
    }

    /** The ARN of the one local stream of {@code tableName}. */
    public static String streamArn(String tableName) {
        return "arn:aws:dynamodb:" + LocalAws.REGION.id() + ":" + LocalAws.ACCOUNT_ID + ":table/" + tableName
                + "/stream/local";
    }

    /** The stream event JSON Lambda would send for these records ({@code {"Records":[…]}}). */
    public static String toLambdaEventJson(List<StreamRecord> records) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode array = event.putArray("Records");
        for (StreamRecord record : records) {
            ObjectNode node = array.addObject();
            node.put("eventID", record.eventId());
            node.put("eventName", record.eventName().name());
            node.put("eventVersion", "1.1");
            node.put("eventSource", "aws:dynamodb");
            node.put("awsRegion", LocalAws.REGION.id());
            ObjectNode dynamodb = node.putObject("dynamodb");
            dynamodb.put("ApproximateCreationDateTime", record.approximateCreationDateTime().getEpochSecond());
            dynamodb.set("Keys", AttributeValueJson.toJson(record.keys()));
            if (!record.newImage().isEmpty()) {
                dynamodb.set("NewImage", AttributeValueJson.toJson(record.newImage()));
            }
            if (!record.oldImage().isEmpty()) {
                dynamodb.set("OldImage", AttributeValueJson.toJson(record.oldImage()));
            }
            dynamodb.put("SequenceNumber", record.sequenceNumberText());
            dynamodb.put("SizeBytes", sizeBytes(dynamodb));
            dynamodb.put("StreamViewType", "NEW_AND_OLD_IMAGES");
            node.put("eventSourceARN", streamArn(record.tableName()));
            if (record.byTimeToLive()) {
                ObjectNode identity = node.putObject("userIdentity");
                identity.put("type", "Service");
                identity.put("principalId", "dynamodb.amazonaws.com");
            }
        }
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a stream event", e);
        }
    }

    /** The {@link DynamodbEvent} a Java Lambda handler would receive for these records. */
    public static DynamodbEvent toLambdaEvent(List<StreamRecord> records) {
        return SERIALIZER.fromJson(toLambdaEventJson(records));
    }

    private static int sizeBytes(ObjectNode dynamodb) {
        // AWS counts the size of keys and images; the JSON length is a close, stable stand-in.
        int size = 0;
        for (String field : List.of("Keys", "NewImage", "OldImage")) {
            if (dynamodb.has(field)) {
                size += dynamodb.get(field).toString().getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return size;
    }
}
