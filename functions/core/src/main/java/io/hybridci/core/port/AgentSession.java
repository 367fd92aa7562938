package io.hybridci.core.port;

import java.time.Instant;
import java.util.Objects;

/**
 * An agent's session: who holds the token, until when, and the key its SQS messages are
 * signed with. The token itself is never stored, only its SHA-256 hash.
 *
 * @param tokenHash SHA-256 hex of the {@code hca_} session token
 * @param signingKey base64 HMAC key; adapters store it encrypted (KMS in AWS)
 * @param previousSigningKey the key of the session this one replaced, accepted during the overlap; may be null
 */
public record AgentSession(String tokenHash, String agentId, Instant issuedAt, Instant expiresAt,
                           String signingKey, String previousSigningKey, boolean revoked) {
    public AgentSession {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(signingKey, "signingKey");
    }

    public boolean validAt(Instant now) {
        return !revoked && now.isBefore(expiresAt);
    }

    @Override
    public String toString() {  // never print key material
        return "AgentSession[agentId=" + agentId + ", expiresAt=" + expiresAt + ", revoked=" + revoked + "]";
    }
}
