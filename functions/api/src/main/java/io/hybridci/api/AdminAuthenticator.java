package io.hybridci.api;

import io.hybridci.core.port.SecretSource;
import io.hybridci.core.security.Tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks the admin bearer token of the user routes against the stored SHA-256 hashes. The
 * comparison is constant-time and visits every accepted hash, so timing tells nothing about
 * how close a guess came or which of several tokens (current, pending) matched.
 */
final class AdminAuthenticator {

    private final SecretSource secrets;

    AdminAuthenticator(SecretSource secrets) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    boolean isAdmin(Optional<String> bearerToken) {
        if (bearerToken.isEmpty()) {
            return false;
        }
        byte[] presented = Tokens.sha256Hex(bearerToken.get()).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String accepted : secrets.adminTokenHashes()) {
            match |= MessageDigest.isEqual(presented, accepted.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        }
        return match;
    }
}
