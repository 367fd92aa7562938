package io.hybridci.core.security;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A secret value (token, webhook secret, signing key) that cannot end up in a log by accident:
 * {@link #toString()} never shows it, and reading it takes an explicit {@link #reveal()}.
 * Equality is identity on purpose: comparing secrets must go through the constant-time checks in
 * {@link Hmac}, never through {@code equals}.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** Wraps a secret value; it must not be empty. */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("a secret cannot be empty");
        }
        return new Secret(value);
    }

    /** The value itself. Call it only where the value must leave the process (a response, a signature). */
    public String reveal() {
        return value;
    }

    /** The value as UTF-8 bytes, a fresh copy each call. */
    public byte[] utf8() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
