package io.hybridci.aws.dynamodb.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hybridci.aws.dynamodb.KeyProtector;
import org.junit.jupiter.api.Test;

/**
 * What every {@link KeyProtector} promises, run against the in-memory one here and against
 * {@code KmsKeyProtector} on the local cloud's KMS (module local, {@code KmsKeyProtectorIT}).
 */
public abstract class KeyProtectorContract {

    private static final String SIGNING_KEY = "c2lnbmluZy1rZXktb2YtMzItcmFuZG9tLWJ5dGVzLi4uLg==";

    /** A protector under the key of the test. */
    protected abstract KeyProtector protector();

    /** A protector under another key than {@link #protector()}'s. */
    protected abstract KeyProtector protectorUnderAnotherKey();

    @Test
    void shouldRoundTripWithoutStoringClearText_whenContextMatches() {
        KeyProtector keys = protector();

        String sealed = keys.protect(SIGNING_KEY, "session:abc");

        assertFalse(sealed.contains(SIGNING_KEY));
        assertEquals(SIGNING_KEY, keys.unprotect(sealed, "session:abc"));
    }

    @Test
    void shouldGiveDifferentCiphertexts_whenTheSameKeyIsProtectedTwice() {
        KeyProtector keys = protector();

        // A fresh nonce/IV each time: equal ciphertexts would tell who shares a key.
        assertNotEquals(keys.protect(SIGNING_KEY, "session:abc"), keys.protect(SIGNING_KEY, "session:abc"));
    }

    @Test
    void shouldRefuse_whenContextDiffers() {
        KeyProtector keys = protector();
        String sealed = keys.protect(SIGNING_KEY, "session:abc");

        assertThrows(IllegalStateException.class, () -> keys.unprotect(sealed, "session:other"));
    }

    @Test
    void shouldRefuse_whenProtectedUnderAnotherKey() {
        String sealed = protectorUnderAnotherKey().protect(SIGNING_KEY, "session:abc");

        assertThrows(IllegalStateException.class, () -> protector().unprotect(sealed, "session:abc"));
    }

    @Test
    void shouldRefuse_whenCiphertextIsTamperedWith() {
        KeyProtector keys = protector();
        String sealed = keys.protect(SIGNING_KEY, "session:abc");
        int middle = sealed.length() / 2;
        String tampered = sealed.substring(0, middle) + (sealed.charAt(middle) == 'A' ? 'B' : 'A') + sealed.substring(middle + 1);

        assertThrows(IllegalStateException.class, () -> keys.unprotect(tampered, "session:abc"));
    }

    @Test
    void shouldRefuse_whenValueIsNotProtectedAtAll() {
        assertThrows(IllegalStateException.class, () -> protector().unprotect(SIGNING_KEY, "session:abc"));
        assertThrows(IllegalStateException.class, () -> protector().unprotect(null, "session:abc"));
    }
}
