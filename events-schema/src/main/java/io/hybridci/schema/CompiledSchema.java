package io.hybridci.schema;

import java.util.ArrayList;
import java.util.List;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * One schema compiled by networknt json-schema-validator, ready to check payloads.
 * Compiled schemas are immutable and thread-safe, so each is built once per container.
 */
final class CompiledSchema {

    /**
     * Formats (date-time, uri, email) are only annotations by default in 2020-12; we want them
     * enforced at our boundaries. JSON paths ({@code $.a.b[0]}) read best in error messages.
     */
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .formatAssertionsEnabled(true)
                    .pathType(PathType.JSON_PATH)
                    .build()));

    /**
     * Payloads are parsed strictly: a duplicate key is rejected because two parsers may keep
     * different copies (the signature check and the handler must see the same document), and
     * trailing content is rejected because it means the body is not one JSON value.
     */
    private static final JsonMapper PAYLOAD_READER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final String description;
    private final Schema schema;

    private CompiledSchema(String description, Schema schema) {
        this.description = description;
        this.schema = schema;
    }

    /** Compiles a schema document; {@code description} names it in errors (e.g. a resource name). */
    static CompiledSchema compile(String description, String schemaJson) {
        JsonNode schemaNode;
        try {
            schemaNode = ClasspathResources.JSON.readTree(schemaJson);
        } catch (JacksonException e) {
            throw new IllegalStateException("Schema " + description + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        Schema schema = REGISTRY.getSchema(schemaNode);
        // Resolve $refs and build every keyword now, not on the first payload of a hot path.
        schema.initializeValidators();
        return new CompiledSchema(description, schema);
    }

    ValidationResult check(String json) {
        if (json == null || json.isBlank()) {
            return ValidationResult.invalid(List.of("$: empty payload, expected a JSON document"));
        }
        JsonNode payload;
        try {
            payload = PAYLOAD_READER.readTree(json);
        } catch (JacksonException e) {
            // The location and Jackson's short message help; its stack trace and source excerpt don't.
            return ValidationResult.invalid(List.of("$: malformed JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")")));
        }
        List<Error> errors = schema.validate(payload);
        if (errors.isEmpty()) {
            return ValidationResult.ok();
        }
        List<String> messages = new ArrayList<>(errors.size());
        for (Error error : errors) {
            messages.add(error.getInstanceLocation() + ": " + error.getMessage());
        }
        return ValidationResult.invalid(messages);
    }

    @Override
    public String toString() {
        return "CompiledSchema[" + description + "]";
    }
}
