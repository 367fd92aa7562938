package io.hybridci.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobState;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class StreamImagesTest {

    @Test
    void shouldReadJobFromNewImage_whenRecordIsAModify() {
        Job before = ItemMappersTest.plannedJob();
        Job after = before.next(ItemMappersTest.T0.plusSeconds(1), "system:state-reactor")
                .state(JobState.QUEUED).queuedAt(ItemMappersTest.T0.plusSeconds(1)).build();
        var record = record("MODIFY", JobItems.toItem(before), JobItems.toItem(after));

        assertEquals(after, JobItems.fromItem(StreamImages.newImage(record).orElseThrow()));
        assertEquals(before, JobItems.fromItem(StreamImages.oldImage(record).orElseThrow()));
        assertEquals(Optional.of(EntityType.JOB), StreamImages.entityType(record));
        assertEquals("JOB#" + after.id(), StreamImages.keys(record).get("pk").s());
    }

    @Test
    void shouldTellTypeFromOldImage_whenRecordIsARemove() {
        var record = record("REMOVE", BuildItems.toItem(ItemMappersTest.pushBuild()), null);

        assertTrue(StreamImages.newImage(record).isEmpty());
        assertEquals(Optional.of(EntityType.BUILD), StreamImages.entityType(record));
    }

    @Test
    void shouldReportNoType_whenItemHasNone() {
        var record = record("INSERT", null, Map.of("pk", AttributeValue.fromS("X#1"), "sk", AttributeValue.fromS("X")));

        assertEquals(Optional.empty(), StreamImages.entityType(record));
    }

    /** A stream record as Lambda delivers it: the events library's own attribute values. */
    static DynamodbEvent.DynamodbStreamRecord record(String eventName, Map<String, AttributeValue> oldImage,
                                                     Map<String, AttributeValue> newImage) {
        var streamRecord = new StreamRecord();
        var image = newImage != null ? newImage : oldImage;
        streamRecord.setKeys(toEvents(Map.of("pk", image.get("pk"), "sk", image.get("sk"))));
        if (oldImage != null) {
            streamRecord.setOldImage(toEvents(oldImage));
        }
        if (newImage != null) {
            streamRecord.setNewImage(toEvents(newImage));
        }
        var record = new DynamodbEvent.DynamodbStreamRecord();
        record.setEventName(eventName);
        record.setEventID("event-1");
        record.setDynamodb(streamRecord);
        return record;
    }

    private static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> toEvents(
            Map<String, AttributeValue> item) {
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> converted = new HashMap<>();
        item.forEach((name, value) -> converted.put(name, toEvents(value)));
        return converted;
    }

    private static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue toEvents(AttributeValue value) {
        var converted = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
        if (value.s() != null) {
            converted.setS(value.s());
        } else if (value.n() != null) {
            converted.setN(value.n());
        } else if (value.bool() != null) {
            converted.setBOOL(value.bool());
        } else if (value.hasL()) {
            converted.setL(value.l().stream().map(StreamImagesTest::toEvents).toList());
        } else if (value.hasM()) {
            converted.setM(toEvents(value.m()));
        } else {
            throw new IllegalArgumentException("type not needed by these tests: " + value);
        }
        return converted;
    }
}
