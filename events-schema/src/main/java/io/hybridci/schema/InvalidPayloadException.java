package io.hybridci.schema;

import java.util.List;

/**
 * A payload crossing a function boundary does not conform to its schema. Handlers turn it
 * into a 4xx answer or a rejected record; it is never a reason to retry, because the same
 * payload will fail the same way.
 */
public final class InvalidPayloadException extends RuntimeException {

    private final String schemaName;
    private final int version;
    private final List<String> errors;

    public InvalidPayloadException(String schemaName, int version, List<String> errors) {
        super("Payload does not conform to " + schemaName + " v" + version + ": " + String.join("; ", errors));
        this.schemaName = schemaName;
        this.version = version;
        this.errors = List.copyOf(errors);
    }

    public String schemaName() {
        return schemaName;
    }

    public int version() {
        return version;
    }

    /** The problems, each starting with the JSON path it concerns. */
    public List<String> errors() {
        return errors;
    }
}
