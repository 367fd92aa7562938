package io.hybridci.core.updates;

import java.util.List;

/**
 * Checks a message body against its events-schema schema. The core cannot depend on the
 * schema module (ArchUnit keeps it to the JDK and Jackson), so the handler passes the shared
 * validator in, e.g. {@code (type, body) -> SchemaValidator.shared().validate(type.schemaName(), body).errors()}.
 */
@FunctionalInterface
public interface AgentMessageSchema {

    /** One line per problem (JSON path first); empty when the body conforms. */
    List<String> problems(AgentMessageType type, String body);
}
