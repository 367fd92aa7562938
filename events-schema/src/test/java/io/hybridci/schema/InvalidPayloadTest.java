package io.hybridci.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Handmade bad payloads: each must be rejected with an error that names the offending field. */
class InvalidPayloadTest {

    private final SchemaValidator validator = SchemaValidator.shared();

    private static ObjectNode example(String schemaName, int version) {
        String resource = SchemaCatalog.load().entry(schemaName).exampleResource(version);
        return (ObjectNode) ClasspathResources.readJson(resource);
    }

    private ValidationResult validate(String schemaName, ObjectNode payload) {
        return validator.validate(schemaName, payload.toString());
    }

    private static void assertRejected(ValidationResult result, String expectedInError) {
        assertFalse(result.valid(), "expected a rejection mentioning " + expectedInError);
        assertTrue(result.errors().stream().anyMatch(error -> error.contains(expectedInError)),
                "no error mentions " + expectedInError + ": " + result.errors());
    }

    @Test
    void shouldNameTheMissingField_whenARequiredFieldIsAbsent() {
        ObjectNode push = example(SchemaNames.GITHUB_PUSH, 1);
        push.remove("after");

        assertRejected(validate(SchemaNames.GITHUB_PUSH, push), "after");
    }

    @Test
    void shouldNameTheNestedPath_whenACommitShaIsNotFortyHexDigits() {
        ObjectNode push = example(SchemaNames.GITHUB_PUSH, 1);
        ((ObjectNode) push.get("headCommit")).put("id", "abc123");

        assertRejected(validate(SchemaNames.GITHUB_PUSH, push), "$.headCommit.id");
    }

    @Test
    void shouldRejectAnyExtraField_whenASecretRotatedEventTriesToCarryAValue() {
        ObjectNode rotated = example(SchemaNames.SECRET_ROTATED, 1);
        rotated.put("value", "hunter2");

        assertRejected(validate(SchemaNames.SECRET_ROTATED, rotated), "value");
    }

    @Test
    void shouldRejectTheTimestamp_whenItIsNotUtc() {
        ObjectNode changed = example(SchemaNames.BUILD_STATE_CHANGED, 1);
        changed.put("at", "2025-03-01T14:03:10+02:00");

        assertRejected(validate(SchemaNames.BUILD_STATE_CHANGED, changed), "$.at");
    }

    @Test
    void shouldRejectTheTimestamp_whenItIsNoRealDate() {
        ObjectNode dispatch = example(SchemaNames.JOB_DISPATCH, 1);
        dispatch.put("dispatchedAt", "2025-02-30T12:00:00Z");

        assertRejected(validate(SchemaNames.JOB_DISPATCH, dispatch), "$.dispatchedAt");
    }

    @Test
    void shouldRejectTheState_whenItIsNotAJobState() {
        ObjectNode changed = example(SchemaNames.JOB_STATE_CHANGED, 2);
        changed.put("to", "DONE");

        assertRejected(validate(SchemaNames.JOB_STATE_CHANGED, changed), "$.to");
    }

    @Test
    void shouldRejectTheChunk_whenALogMessageExceedsTheSqsBudget() {
        ObjectNode log = example(SchemaNames.AGENT_LOG, 1);
        log.put("chunk", "x".repeat(131_073));

        assertRejected(validate(SchemaNames.AGENT_LOG, log), "$.chunk");
    }

    @Test
    void shouldRejectTheChangedPaths_whenMoreThanAThousandAreListed() {
        ObjectNode push = example(SchemaNames.GITHUB_PUSH, 1);
        var paths = push.putArray("changedPaths");
        for (int i = 0; i <= 1000; i++) {
            paths.add("src/file-" + i + ".c");
        }

        assertRejected(validate(SchemaNames.GITHUB_PUSH, push), "$.changedPaths");
    }

    @Test
    void shouldRejectTheUpdate_whenTheTypeDoesNotMatchTheSchema() {
        ObjectNode started = example(SchemaNames.AGENT_STARTED, 1);
        started.put("type", "finished");

        assertRejected(validate(SchemaNames.AGENT_STARTED, started), "$.type");
    }

    @Test
    void shouldRejectTheStep_whenItsTypeIsUnknown() {
        ObjectNode uploaded = example(SchemaNames.PIPELINE_UPLOADED, 1);
        ((ObjectNode) uploaded.get("pipeline").get(0)).put("type", "trigger");

        assertRejected(validate(SchemaNames.PIPELINE_UPLOADED, uploaded), "$.pipeline[0].type");
    }

    @Test
    void shouldRejectV1Only_whenAV2FieldIsSentToAV1Consumer() {
        String v2Example = ClasspathResources.readText(
                SchemaCatalog.load().entry(SchemaNames.JOB_STATE_CHANGED).exampleResource(2));

        assertRejected(validator.validate(SchemaNames.JOB_STATE_CHANGED, 1, v2Example), "reason");
        assertTrue(validator.validate(SchemaNames.JOB_STATE_CHANGED, 2, v2Example).valid());
    }

    @Test
    void shouldReportACleanError_whenThePayloadIsMalformedJson() {
        ValidationResult result = validator.validate(SchemaNames.SECRET_ROTATED, "{\"secretName\": ");

        assertFalse(result.valid());
        assertEquals(1, result.errors().size(), result.errors().toString());
        String error = result.errors().getFirst();
        assertTrue(error.startsWith("$: malformed JSON"), error);
        assertFalse(error.contains("com.fasterxml") || error.contains("tools.jackson"), "no exception class names leak: " + error);
    }

    @Test
    void shouldReportACleanError_whenThePayloadIsEmpty() {
        assertRejected(validator.validate(SchemaNames.SECRET_ROTATED, "  "), "empty payload");
    }

    @Test
    void shouldRejectTheDocument_whenAKeyAppearsTwice() {
        String json = """
                {"secretName":"a","secretName":"b","versionId":"3f1b8e6a-2c4d-4e5f-9a0b-1c2d3e4f5a6b","at":"2025-03-01T00:00:12Z"}""";

        assertRejected(validator.validate(SchemaNames.SECRET_ROTATED, json), "secretName");
    }

    @Test
    void shouldRejectTheDocument_whenContentTrailsTheJsonValue() {
        String json = ClasspathResources.readText(SchemaCatalog.load().entry(SchemaNames.SECRET_ROTATED).exampleResource(1))
                + "{}";

        assertRejected(validator.validate(SchemaNames.SECRET_ROTATED, json), "malformed JSON");
    }

    @Test
    void shouldThrowWithEveryError_whenRequireValidMeetsAnInvalidPayload() {
        InvalidPayloadException error = assertThrows(InvalidPayloadException.class,
                () -> validator.requireValid(SchemaNames.SECRET_ROTATED, "{\"secretName\":\"x\"}"));

        assertEquals(SchemaNames.SECRET_ROTATED, error.schemaName());
        assertEquals(1, error.version());
        assertTrue(error.errors().stream().anyMatch(message -> message.contains("versionId")), error.errors().toString());
        assertTrue(error.getMessage().contains("at"), error.getMessage());
    }

    @Test
    void shouldAcceptSilently_whenRequireValidMeetsAValidPayload() {
        String json = ClasspathResources.readText(SchemaCatalog.load().entry(SchemaNames.JOB_DISPATCH).exampleResource(1));

        validator.requireValid(SchemaNames.JOB_DISPATCH, json);
        assertEquals(List.of(), validator.validate(SchemaNames.JOB_DISPATCH, 1, json).errors());
    }

    @Test
    void shouldFailFast_whenTheSchemaOrVersionIsUnknown() {
        IllegalArgumentException unknownName = assertThrows(IllegalArgumentException.class,
                () -> validator.validate("no-such-schema", "{}"));
        IllegalArgumentException unknownVersion = assertThrows(IllegalArgumentException.class,
                () -> validator.validate(SchemaNames.SECRET_ROTATED, 9, "{}"));

        assertTrue(unknownName.getMessage().contains("github-push"), unknownName.getMessage());
        assertTrue(unknownVersion.getMessage().contains("no version 9"), unknownVersion.getMessage());
    }
}
