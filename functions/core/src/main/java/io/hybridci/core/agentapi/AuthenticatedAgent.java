package io.hybridci.core.agentapi;

import io.hybridci.core.agent.Agent;
import io.hybridci.core.port.AgentSession;

import java.util.Objects;

/** An agent whose session token checked out: the agent as read, and the session the token belongs to. */
public record AuthenticatedAgent(Agent agent, AgentSession session) {
    public AuthenticatedAgent {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(session, "session");
    }

    public String agentId() {
        return agent.id();
    }
}
