package io.hybridci.core.port.contract;

import static io.hybridci.core.port.contract.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.port.AgentSession;
import io.hybridci.core.port.CredentialStore;
import io.hybridci.core.port.RegistrationToken;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link CredentialStore} must do; subclasses give a fresh, empty store. */
public abstract class CredentialStoreContract {

    protected abstract CredentialStore newStore();

    private CredentialStore store;

    @BeforeEach
    void setUpStore() {
        store = newStore();
    }

    private static AgentSession session(String hash, String agentId, int issuedSecond) {
        return new AgentSession(hash, agentId, T0.plusSeconds(issuedSecond), T0.plusSeconds(3600),
                "c2lnbmluZy1rZXktMQ==" + issuedSecond, issuedSecond > 0 ? "cHJldmlvdXM=" : null, false);
    }

    @Test
    void shouldFindRegistrationTokenByHash_whenStoredOnce() {
        var token = new RegistrationToken("rt-1", Fixtures.uniqueId("hash"), "ci fleet", List.of("default"), T0,
                T0.plusSeconds(60), false);
        var noExpiry = new RegistrationToken("rt-2", Fixtures.uniqueId("hash"), null, List.of(), T0, null, false);

        assertTrue(store.putRegistrationToken(token));
        assertFalse(store.putRegistrationToken(token), "a second put of the same hash is refused");
        assertTrue(store.putRegistrationToken(noExpiry));

        assertEquals(Optional.of(token), store.registrationTokenByHash(token.tokenHash()));
        assertEquals(Optional.of(noExpiry), store.registrationTokenByHash(noExpiry.tokenHash()));
        assertEquals(Optional.empty(), store.registrationTokenByHash(Fixtures.uniqueId("unknown")));
    }

    @Test
    void shouldReturnSessionWithItsKeys_whenLookedUpByHash() {
        var session = session(Fixtures.uniqueId("hash"), Fixtures.uniqueId("agent"), 1);

        assertTrue(store.putSession(session));
        assertFalse(store.putSession(session));

        var found = store.sessionByHash(session.tokenHash()).orElseThrow();
        assertEquals(session, found);
        assertEquals(session.signingKey(), found.signingKey());
        assertEquals(session.previousSigningKey(), found.previousSigningKey());
    }

    @Test
    void shouldRevokeIdempotently_whenRevokedTwice() {
        var session = session(Fixtures.uniqueId("hash"), Fixtures.uniqueId("agent"), 0);
        store.putSession(session);

        store.revokeSession(session.tokenHash());
        store.revokeSession(session.tokenHash());
        store.revokeSession(Fixtures.uniqueId("missing"));

        assertTrue(store.sessionByHash(session.tokenHash()).orElseThrow().revoked());
    }

    @Test
    void shouldGiveNewestUnrevokedSession_whenAgentRenewed() {
        String agentId = Fixtures.uniqueId("agent");
        var old = session(Fixtures.uniqueId("hash"), agentId, 1);
        var renewed = session(Fixtures.uniqueId("hash"), agentId, 2);
        var newestButRevoked = session(Fixtures.uniqueId("hash"), agentId, 3);
        store.putSession(old);
        store.putSession(renewed);
        store.putSession(newestButRevoked);
        store.putSession(session(Fixtures.uniqueId("hash"), Fixtures.uniqueId("other"), 9));

        store.revokeSession(newestButRevoked.tokenHash());

        assertEquals(Optional.of(renewed), store.currentSessionOf(agentId));
        assertEquals(Optional.empty(), store.currentSessionOf(Fixtures.uniqueId("nobody")));
    }
}
