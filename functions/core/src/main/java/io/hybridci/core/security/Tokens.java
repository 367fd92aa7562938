package io.hybridci.core.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer tokens (DESIGN section 8): random, prefixed by kind, shown once to their holder and
 * stored only as a SHA-256 hash. A plain hash (no salt, no slow KDF) is right here: the token
 * carries 256 random bits, so there is nothing to guess, and lookups by hash stay one key read.
 */
public final class Tokens {

    /** Random bytes per token: 256 bits. */
    public static final int RANDOM_BYTES = 32;

    // One instance for the process: SecureRandom is thread-safe, and seeding it again per call costs time.
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    /** A new token of {@code kind}: its prefix, then 32 random bytes in URL-safe base64 without padding. */
    public static Secret generate(TokenKind kind) {
        byte[] random = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(random);
        return Secret.of(kind.prefix() + Base64.getUrlEncoder().withoutPadding().encodeToString(random));
    }

    /** What is stored instead of the token: lowercase hex SHA-256 of its UTF-8 bytes. */
    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@link #sha256Hex(String)} of a wrapped token. */
    public static String sha256Hex(Secret token) {
        return sha256Hex(token.reveal());
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException impossible) {
            // Every JDK must provide SHA-256 (java.security.MessageDigest's documented requirements).
            throw new IllegalStateException(impossible);
        }
    }
}
