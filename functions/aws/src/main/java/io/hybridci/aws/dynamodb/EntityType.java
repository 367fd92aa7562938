package io.hybridci.aws.dynamodb;

import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The kinds of item in the {@code state} table, by their {@code type} attribute. The wire name is
 * also the prefix of the entity's audit chain ({@code build:<id>}, {@code job:<id>}, ...).
 */
public enum EntityType {
    BUILD("build"),
    JOB("job"),
    AGENT("agent"),
    SESSION("session"),
    REGISTRATION_TOKEN("regtoken"),
    DELIVERY("delivery"),
    AGENT_MESSAGE("agentmsg"),
    REJECTION("rejection"),
    ENVIRONMENT("environment"),
    DEPLOYMENT("deployment"),
    CONCURRENCY_GROUP("concurrency");

    private final String wireName;

    EntityType(String wireName) {
        this.wireName = wireName;
    }

    /** The value of the {@code type} attribute. */
    public String wireName() {
        return wireName;
    }

    public AttributeValue attribute() {
        return AttributeValue.fromS(wireName);
    }

    /** The type named {@code wireName}, or empty for a name this version does not know. */
    public static Optional<EntityType> fromWireName(String wireName) {
        for (EntityType type : values()) {
            if (type.wireName.equals(wireName)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** The type of a {@code state} item, by its {@code type} attribute; empty when absent or unknown. */
    public static Optional<EntityType> of(Map<String, AttributeValue> item) {
        if (item == null) {
            return Optional.empty();
        }
        return Attributes.optionalString(item, StateItems.TYPE).flatMap(EntityType::fromWireName);
    }
}
