package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.AgentSession;
import io.hybridci.core.port.CredentialStore;
import io.hybridci.core.port.Page;
import io.hybridci.core.port.RegistrationTokenCatalog;
import io.hybridci.core.port.RegistrationToken;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link CredentialStore} and {@link RegistrationTokenCatalog} in memory, for unit tests of the use cases. */
public final class InMemoryCredentialStore implements CredentialStore, RegistrationTokenCatalog {
    private final ConcurrentHashMap<String, RegistrationToken> registrationTokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AgentSession> sessions = new ConcurrentHashMap<>();

    @Override
    public boolean putRegistrationToken(RegistrationToken token) {
        return registrationTokens.putIfAbsent(token.tokenHash(), token) == null;
    }

    @Override
    public Optional<RegistrationToken> registrationTokenByHash(String tokenHash) {
        return Optional.ofNullable(registrationTokens.get(tokenHash));
    }

    @Override
    public boolean putSession(AgentSession session) {
        return sessions.putIfAbsent(session.tokenHash(), session) == null;
    }

    @Override
    public Optional<AgentSession> sessionByHash(String tokenHash) {
        return Optional.ofNullable(sessions.get(tokenHash));
    }

    @Override
    public Optional<AgentSession> currentSessionOf(String agentId) {
        return sessions.values().stream()
                .filter(session -> session.agentId().equals(agentId) && !session.revoked())
                .max(Comparator.comparing(AgentSession::issuedAt, Comparator.nullsFirst(Comparator.naturalOrder())));
    }

    @Override
    public void revokeSession(String tokenHash) {
        sessions.computeIfPresent(tokenHash, (hash, s) -> new AgentSession(s.tokenHash(), s.agentId(), s.issuedAt(),
                s.expiresAt(), s.signingKey(), s.previousSigningKey(), true));
    }

    @Override
    public Page<RegistrationToken> listRegistrationTokens(int limit, Optional<String> cursor) {
        var sorted = registrationTokens.values().stream()
                .sorted(Comparator.comparing(RegistrationToken::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(RegistrationToken::id))
                .toList();
        return Paging.page(sorted, limit, cursor);
    }

    @Override
    public Optional<RegistrationToken> registrationTokenById(String id) {
        return registrationTokens.values().stream().filter(token -> token.id().equals(id)).findFirst();
    }

    @Override
    public boolean revokeRegistrationToken(String id) {
        Optional<RegistrationToken> found = registrationTokenById(id);
        found.ifPresent(t -> registrationTokens.computeIfPresent(t.tokenHash(), (hash, stored) -> new RegistrationToken(
                stored.id(), stored.tokenHash(), stored.description(), stored.allowedQueues(), stored.createdAt(),
                stored.expiresAt(), true)));
        return found.isPresent();
    }
}
