package io.hybridci.topology;

import java.util.Objects;

/** A key attribute of a table or index: its name and its DynamoDB scalar type. */
public record KeyAttribute(String name, AttributeType type) {

    public KeyAttribute {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    /** A string key. */
    public static KeyAttribute string(String name) {
        return new KeyAttribute(name, AttributeType.S);
    }

    /** A number key. */
    public static KeyAttribute number(String name) {
        return new KeyAttribute(name, AttributeType.N);
    }

    /** The DynamoDB key types we use (binary keys are not needed anywhere). */
    public enum AttributeType { S, N }
}
