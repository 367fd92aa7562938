package io.hybridci.core.agentadmin;

import io.hybridci.core.port.CredentialStore;
import io.hybridci.core.port.Page;
import io.hybridci.core.port.RegistrationToken;
import io.hybridci.core.port.RegistrationTokenCatalog;
import io.hybridci.core.security.Secret;
import io.hybridci.core.security.TokenKind;
import io.hybridci.core.security.Tokens;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Registration tokens for admins ({@code /api/v1/registration-tokens}): created with an optional expiry and
 * allowed queues, the value shown once and only its SHA-256 hash stored; listed without values; revoked.
 */
public final class RegistrationTokenAdmin {

    /** The result of {@link #create}. */
    public sealed interface Creation {
        record Created(CreatedRegistrationToken token) implements Creation {}

        record Invalid(String message) implements Creation {}
    }

    private final CredentialStore credentials;
    private final RegistrationTokenCatalog catalog;
    private final Set<String> knownQueues;
    private final Clock clock;

    public RegistrationTokenAdmin(CredentialStore credentials, RegistrationTokenCatalog catalog, Set<String> knownQueues,
                                  Clock clock) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.knownQueues = Set.copyOf(knownQueues);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Creation create(NewRegistrationToken request) {
        Instant now = clock.instant();
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            return new Creation.Invalid("expiresAt must be in the future");
        }
        List<String> unknown = request.allowedQueues().stream().filter(queue -> !knownQueues.contains(queue)).toList();
        if (!unknown.isEmpty()) {
            return new Creation.Invalid("unknown queues: " + String.join(", ", unknown));
        }
        Secret value = Tokens.generate(TokenKind.REGISTRATION);
        RegistrationToken stored = new RegistrationToken(UUID.randomUUID().toString(), Tokens.sha256Hex(value),
                request.description(), request.allowedQueues(), now, request.expiresAt(), false);
        if (!credentials.putRegistrationToken(stored)) {
            throw new IllegalStateException("registration token hash collision: the random source is broken");
        }
        return new Creation.Created(new CreatedRegistrationToken(stored, value));
    }

    public Page<RegistrationToken> list(int limit, Optional<String> cursor) {
        return catalog.listRegistrationTokens(limit, cursor);
    }

    /** {@code false} when no token has this id; revoking twice is fine. */
    public boolean revoke(String id) {
        return catalog.revokeRegistrationToken(id);
    }
}
