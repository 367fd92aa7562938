package io.hybridci.aws.dynamodb;

import static io.hybridci.aws.dynamodb.Attributes.nullableInstant;
import static io.hybridci.aws.dynamodb.Attributes.nullableString;
import static io.hybridci.aws.dynamodb.Attributes.putInstant;
import static io.hybridci.aws.dynamodb.Attributes.putString;
import static io.hybridci.aws.dynamodb.Attributes.s;
import static io.hybridci.aws.dynamodb.Attributes.string;

import io.hybridci.core.agent.Agent;
import io.hybridci.core.agent.AgentState;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An {@link Agent} as a {@code state} item: {@code AGENT#<id>} / {@code AGENT}; gsi1 {@code AGENTS}
 * / {@code <name>#<id>} lists agents by name; gsi2 {@code AGENTS#LIVE} / {@code <id>} exists only
 * while the agent is expected to ping ({@link AgentState#isHeartbeating()}), for the reaper.
 */
public final class AgentItems {

    public static final String ALL_AGENTS = "AGENTS";
    public static final String LIVE_AGENTS = "AGENTS#LIVE";
    static final String SK_VALUE = "AGENT";

    private AgentItems() {
    }

    public static String pk(String agentId) {
        return "AGENT#" + agentId;
    }

    public static Map<String, AttributeValue> key(String agentId) {
        return StateItems.key(pk(agentId), SK_VALUE);
    }

    public static Map<String, AttributeValue> toItem(Agent agent) {
        var item = StateItems.item(pk(agent.id()), SK_VALUE, EntityType.AGENT, agent.version(), agent.updatedAt(),
                agent.lastActor());
        item.put(StateItems.GSI1_PK, s(ALL_AGENTS));
        item.put(StateItems.GSI1_SK, s(agent.name() + "#" + agent.id()));
        if (agent.state().isHeartbeating()) {
            item.put(StateItems.GSI2_PK, s(LIVE_AGENTS));
            item.put(StateItems.GSI2_SK, s(agent.id()));
        }
        item.put("id", s(agent.id()));
        item.put("name", s(agent.name()));
        item.put("queues", Attributes.stringList(agent.queues()));
        item.put("state", s(agent.state().name()));
        putString(item, "currentJobId", agent.currentJobId());
        putString(item, "agentVersion", agent.agentVersion());
        putInstant(item, "lastSeenAt", agent.lastSeenAt());
        putInstant(item, "connectedAt", agent.connectedAt());
        putInstant(item, "sessionExpiresAt", agent.sessionExpiresAt());
        return item;
    }

    public static Agent fromItem(Map<String, AttributeValue> item) {
        return new Agent(
                string(item, "id"),
                string(item, "name"),
                Attributes.stringList(item, "queues"),
                AgentState.valueOf(string(item, "state")),
                nullableString(item, "currentJobId"),
                nullableString(item, "agentVersion"),
                Attributes.instant(item, "lastSeenAt"),
                Attributes.instant(item, "connectedAt"),
                nullableInstant(item, "sessionExpiresAt"),
                Attributes.number(item, StateItems.VERSION),
                Attributes.instant(item, StateItems.UPDATED_AT),
                string(item, StateItems.LAST_ACTOR));
    }
}
