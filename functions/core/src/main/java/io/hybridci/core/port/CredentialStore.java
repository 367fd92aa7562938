package io.hybridci.core.port;

import java.util.Optional;

/** Registration tokens and agent sessions, looked up by the SHA-256 hash of the presented token. */
public interface CredentialStore {

    /** Stores the token unless one with the same hash exists. */
    boolean putRegistrationToken(RegistrationToken token);

    Optional<RegistrationToken> registrationTokenByHash(String tokenHash);

    boolean putSession(AgentSession session);

    Optional<AgentSession> sessionByHash(String tokenHash);

    /** Marks the session revoked; idempotent. */
    void revokeSession(String tokenHash);
}
