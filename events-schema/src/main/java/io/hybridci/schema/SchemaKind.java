package io.hybridci.schema;

import java.util.Locale;

/** What a schema in the catalog describes, and therefore where its payloads travel. */
public enum SchemaKind {
    /** The detail of a normalized GitHub webhook, published on the bus with source {@code github.com}. */
    GITHUB,
    /** The detail of one of our own events on the bus (sources {@code hybridci.*}). */
    EVENT,
    /** The body of an SQS message (job dispatch, agent updates); never on the bus. */
    MESSAGE,
    /** The EventBridge envelope around every bus detail. */
    ENVELOPE;

    /** The spelling used in {@code catalog.json}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SchemaKind fromJsonName(String jsonName) {
        for (SchemaKind kind : values()) {
            if (kind.jsonName().equals(jsonName)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown schema kind '" + jsonName + "'");
    }
}
