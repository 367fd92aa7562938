package io.hybridci.agent;

import io.hybridci.core.security.Secret;

import java.util.Objects;

/**
 * One agent session: the bearer token of its HTTP calls and the key that signs its SQS messages.
 * Both are {@link Secret}s, so printing a session never shows them.
 */
public record Session(String agentId, Secret token, Secret signingKey) {

    public Session {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(signingKey, "signingKey");
    }
}
