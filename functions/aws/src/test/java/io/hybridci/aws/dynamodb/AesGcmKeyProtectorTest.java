package io.hybridci.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AesGcmKeyProtectorTest {
    private final KeyProtector keys = AesGcmKeyProtector.fromSecret("a-test-secret-of-at-least-32-characters");

    @Test
    void shouldRoundTripWithoutStoringClearText_whenContextMatches() {
        String sealed = keys.protect("c2lnbmluZy1rZXk=", "session:abc");

        assertFalse(sealed.contains("c2lnbmluZy1rZXk="));
        assertEquals("c2lnbmluZy1rZXk=", keys.unprotect(sealed, "session:abc"));
    }

    @Test
    void shouldRefuse_whenContextOrKeyDiffers() {
        String sealed = keys.protect("secret-key", "session:abc");
        var otherKey = AesGcmKeyProtector.fromSecret("another-secret-of-at-least-32-characters");

        assertThrows(IllegalStateException.class, () -> keys.unprotect(sealed, "session:other"));
        assertThrows(IllegalStateException.class, () -> otherKey.unprotect(sealed, "session:abc"));
    }
}
