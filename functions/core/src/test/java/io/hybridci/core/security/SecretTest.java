package io.hybridci.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void shouldNotPrintTheValue_whenConvertedToString() {
        Secret secret = Secret.of("hunter2");

        assertEquals("Secret[redacted]", secret.toString());
        assertFalse(String.valueOf(List.of(secret)).contains("hunter2"));
        assertFalse(("config: " + secret).contains("hunter2"));
    }

    @Test
    void shouldRevealTheValue_whenAskedExplicitly() {
        assertEquals("hunter2", Secret.of("hunter2").reveal());
    }

    @Test
    void shouldRefuse_whenValueIsEmpty() {
        assertThrows(IllegalArgumentException.class, () -> Secret.of(""));
    }
}
