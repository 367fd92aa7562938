package io.hybridci.core.port;

import java.util.Optional;

/** Registration tokens and agent sessions, looked up by the SHA-256 hash of the presented token. */
public interface CredentialStore {

    /** Stores the token unless one with the same hash exists. */
    boolean putRegistrationToken(RegistrationToken token);

    Optional<RegistrationToken> registrationTokenByHash(String tokenHash);

    boolean putSession(AgentSession session);

    Optional<AgentSession> sessionByHash(String tokenHash);

    /**
     * The agent's newest session that is not revoked (expired ones included: a message signed just
     * before expiry may still be in the queue), or empty. The job-updater reads the signing keys
     * from it, since an SQS message carries the agent id but not the session token.
     */
    Optional<AgentSession> currentSessionOf(String agentId);

    /** Marks the session revoked; idempotent. */
    void revokeSession(String tokenHash);
}
