package io.hybridci.core.updates;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of message an agent sends to {@code agent-updates}: the body's {@code type} field and
 * the events-schema schema that describes it.
 */
public enum AgentMessageType {
    STARTED("started", "agent-started"),
    LOG("log", "agent-log"),
    FINISHED("finished", "agent-finished"),
    /** A deploy job's phase (verifying, live, rolled_back, failed): drives its deployment. */
    DEPLOY("deploy", "agent-deploy");

    private final String wireName;
    private final String schemaName;

    AgentMessageType(String wireName, String schemaName) {
        this.wireName = wireName;
        this.schemaName = schemaName;
    }

    /** The value of the body's {@code type} field. */
    public String wireName() {
        return wireName;
    }

    /** The schema's name in events-schema ({@code SchemaNames.AGENT_*}). */
    public String schemaName() {
        return schemaName;
    }

    /** The type whose {@code type} field is {@code wireName}, if any. */
    public static Optional<AgentMessageType> ofWireName(String wireName) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(wireName)).findFirst();
    }
}
