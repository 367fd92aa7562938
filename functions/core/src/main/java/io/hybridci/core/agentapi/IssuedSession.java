package io.hybridci.core.agentapi;

import io.hybridci.core.security.Secret;

import java.time.Instant;
import java.util.Objects;

/**
 * A session just issued to an agent: the only moment its token and signing key exist in clear
 * outside the agent. Both stay {@link Secret}s so they cannot reach a log by accident.
 */
public record IssuedSession(Secret sessionToken, Instant expiresAt, Secret signingKey) {
    public IssuedSession {
        Objects.requireNonNull(sessionToken, "sessionToken");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(signingKey, "signingKey");
    }
}
