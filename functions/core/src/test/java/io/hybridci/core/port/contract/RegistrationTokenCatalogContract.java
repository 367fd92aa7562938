package io.hybridci.core.port.contract;

import static io.hybridci.core.port.contract.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.port.CredentialStore;
import io.hybridci.core.port.Page;
import io.hybridci.core.port.RegistrationToken;
import io.hybridci.core.port.RegistrationTokenCatalog;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RegistrationTokenCatalog} must do over the tokens its {@link CredentialStore} holds
 * (tokens are put through the store, as {@code register} and the rotator do); subclasses give both, fresh and
 * empty, over the same data.
 */
public abstract class RegistrationTokenCatalogContract {

    /** A store and the catalog over the same tokens. */
    public record Ports(CredentialStore store, RegistrationTokenCatalog catalog) {}

    protected abstract Ports newPorts();

    private CredentialStore store;
    private RegistrationTokenCatalog catalog;

    @BeforeEach
    void setUpPorts() {
        Ports ports = newPorts();
        store = ports.store();
        catalog = ports.catalog();
    }

    private RegistrationToken stored(int createdSecond) {
        var token = new RegistrationToken(Fixtures.uniqueId("rt"), Fixtures.uniqueId("hash"), "fleet " + createdSecond,
                List.of("default"), T0.plusSeconds(createdSecond), T0.plusSeconds(3600), false);
        assertTrue(store.putRegistrationToken(token));
        return token;
    }

    @Test
    void shouldListOldestFirstAcrossPages_whenThereAreMoreTokensThanTheLimit() {
        var newest = stored(2);
        var oldest = stored(0);
        var middle = stored(1);

        Page<RegistrationToken> first = catalog.listRegistrationTokens(2, Optional.empty());
        Page<RegistrationToken> second = catalog.listRegistrationTokens(2, first.next());

        assertEquals(List.of(oldest.id(), middle.id()), first.items().stream().map(RegistrationToken::id).toList());
        assertTrue(first.next().isPresent(), "a full page has a cursor");
        assertEquals(List.of(newest), second.items());
        assertEquals(Optional.empty(), second.next());
    }

    @Test
    void shouldFindTheTokenById_whenStoredThroughTheCredentialStore() {
        var token = stored(0);

        assertEquals(Optional.of(token), catalog.registrationTokenById(token.id()));
        assertEquals(Optional.empty(), catalog.registrationTokenById(Fixtures.uniqueId("rt-unknown")));
    }

    @Test
    void shouldRevokeIdempotentlyAndKeepTheTokenListed_whenRevokedById() {
        var token = stored(0);
        var other = stored(1);

        assertTrue(catalog.revokeRegistrationToken(token.id()));
        assertTrue(catalog.revokeRegistrationToken(token.id()), "revoking twice is not an error");
        assertFalse(catalog.revokeRegistrationToken(Fixtures.uniqueId("rt-unknown")));

        var seenByRegister = store.registrationTokenByHash(token.tokenHash()).orElseThrow();
        assertTrue(seenByRegister.revoked(), "register sees the revocation");
        assertFalse(seenByRegister.validAt(T0.plusSeconds(1)));
        assertFalse(store.registrationTokenByHash(other.tokenHash()).orElseThrow().revoked(), "only that token");
        assertEquals(List.of(true, false), catalog.listRegistrationTokens(10, Optional.empty()).items().stream()
                .map(RegistrationToken::revoked).toList());
    }
}
