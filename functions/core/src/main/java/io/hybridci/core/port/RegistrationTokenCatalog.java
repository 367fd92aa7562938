package io.hybridci.core.port;

import java.util.Optional;

/**
 * The admin's view of registration tokens: listed (their hashes stay inside the adapter's items,
 * values were never stored) and revoked by id. Lookup by presented token stays in {@link CredentialStore}.
 */
public interface RegistrationTokenCatalog {

    /** Tokens oldest first, revoked and expired ones included (the admin sees what was issued). */
    Page<RegistrationToken> listRegistrationTokens(int limit, Optional<String> cursor);

    Optional<RegistrationToken> registrationTokenById(String id);

    /** Marks the token revoked; {@code false} when there is no token with this id. Idempotent. */
    boolean revokeRegistrationToken(String id);
}
