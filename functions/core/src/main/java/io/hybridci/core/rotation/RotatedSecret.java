package io.hybridci.core.rotation;

import io.hybridci.core.port.CredentialStore;
import io.hybridci.core.port.RegistrationToken;
import io.hybridci.core.port.RegistrationTokenCatalog;
import io.hybridci.core.security.TokenKind;
import io.hybridci.core.security.Tokens;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What differs between the secrets the rotator handles: how a new value is made, where it is set,
 * how it is tested, and what happens to the old one. Problems are described without the value.
 */
public sealed interface RotatedSecret {

    /** The Secrets Manager name, e.g. {@code hybridci/github-webhook}. */
    String name();

    /** A fresh random value. */
    String generate();

    /** Why {@code value} is not a well-formed value of this secret, if it is not. */
    Optional<String> problemWith(String value);

    /** setSecret: make the protected system accept {@code value}. Idempotent. */
    void set(String value);

    /** testSecret beyond the shape: why the protected system does not accept {@code value}, if it does not. */
    Optional<String> notAccepted(String value);

    /**
     * Whether finishSecret waits for a person: the webhook secret must be pasted into GitHub before the
     * old one stops verifying, so its rotation is finished by an admin or by the grace period.
     */
    boolean finishedByAdmin();

    /** After finishSecret: stop accepting the value that left AWSCURRENT, where that is ours to do. */
    void retire(String oldValue);

    /** Whether a rotation event's {@code SecretId} (a name or an ARN) names this secret. */
    default boolean isNamedBy(String secretIdOrArn) {
        // An ARN ends in ":secret:<name>-<6 random characters>".
        return secretIdOrArn.equals(name()) || secretIdOrArn.contains(":secret:" + name() + "-");
    }

    /**
     * The GitHub webhook secret. Its only user besides us is GitHub, where a person pastes it: setSecret
     * has nothing to call, and during the rotation both values verify (SecretSource reads AWSPENDING too).
     */
    record WebhookSecret(String name) implements RotatedSecret {
        /** Printable ASCII without spaces, long enough for a 256-bit HMAC key, short enough for GitHub's field. */
        private static final Pattern WELL_FORMED = Pattern.compile("[\\x21-\\x7e]{32,256}");
        private static final SecureRandom RANDOM = new SecureRandom();

        public WebhookSecret {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String generate() {
            byte[] random = new byte[32];
            RANDOM.nextBytes(random);
            return HexFormat.of().formatHex(random);
        }

        @Override
        public Optional<String> problemWith(String value) {
            return WELL_FORMED.matcher(value).matches() ? Optional.empty()
                    : Optional.of("the pending webhook secret is not 32 to 256 printable ASCII characters without spaces");
        }

        @Override
        public void set(String value) {
            // Nothing to call: a person pastes the value into GitHub's webhook settings.
        }

        @Override
        public Optional<String> notAccepted(String value) {
            return Optional.empty();
        }

        @Override
        public boolean finishedByAdmin() {
            return true;
        }

        @Override
        public void retire(String oldValue) {
            // Nothing stored elsewhere: once AWSCURRENT moved, SecretSource stops reading the old value.
        }
    }

    /**
     * The registration token kept in Secrets Manager (the one an installer hands to new agents). setSecret
     * stores its hash where {@code register} looks tokens up; finishing revokes the old one's hash.
     */
    record RegistrationTokenSecret(String name, CredentialStore credentials, RegistrationTokenCatalog catalog,
                                   Clock clock) implements RotatedSecret {
        public RegistrationTokenSecret {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(credentials, "credentials");
            Objects.requireNonNull(catalog, "catalog");
            Objects.requireNonNull(clock, "clock");
        }

        @Override
        public String generate() {
            return Tokens.generate(TokenKind.REGISTRATION).reveal();
        }

        @Override
        public Optional<String> problemWith(String value) {
            return TokenKind.of(value).filter(TokenKind.REGISTRATION::equals).isPresent() ? Optional.empty()
                    : Optional.of("the pending registration token is not hcr_ followed by 43 base64url characters");
        }

        @Override
        public void set(String value) {
            String hash = Tokens.sha256Hex(value);
            // putRegistrationToken refuses a second put of the same hash: a repeated setSecret is a no-op.
            credentials.putRegistrationToken(new RegistrationToken(idOf(hash), hash,
                    "rotated " + name, List.of(), clock.instant(), null, false));
        }

        @Override
        public Optional<String> notAccepted(String value) {
            return credentials.registrationTokenByHash(Tokens.sha256Hex(value))
                    .filter(token -> token.validAt(clock.instant())).isPresent() ? Optional.empty()
                    : Optional.of("the pending registration token is not stored, or revoked, or expired");
        }

        @Override
        public boolean finishedByAdmin() {
            return false;
        }

        @Override
        public void retire(String oldValue) {
            credentials.registrationTokenByHash(Tokens.sha256Hex(oldValue))
                    .ifPresent(token -> catalog.revokeRegistrationToken(token.id()));
        }

        /** The id shown to admins: derived from the hash so a repeated setSecret writes the same item. */
        static String idOf(String hash) {
            return "secret-" + hash.substring(0, 16);
        }
    }
}
