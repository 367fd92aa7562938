package io.hybridci.local;

import io.hybridci.core.security.TokenKind;
import io.hybridci.core.security.Tokens;

import io.hybridci.local.engine.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The three secrets a person needs to use a local cloud, created on its first start and kept in files of
 * the data dir (mode 0600) so that scripts, the CLI and agents can read them:
 * {@code webhook-secret} (GitHub's webhook HMAC key), {@code admin-token} (Bearer token of {@code /api/v1})
 * and {@code registration-token} ({@code hcr_…}, with which agents register).
 *
 * <p>On the first start their values become the first versions of the Secrets Manager secrets and the
 * registration token is stored (as a hash) in the credential store. Agents' signing keys are not among
 * them: they are encrypted by the local KMS ({@link LocalSigningKey}), as in AWS.
 */
public record LocalCredentials(String webhookSecret, String adminToken, String registrationToken) {

    public static final String WEBHOOK_SECRET_FILE = "webhook-secret";
    public static final String ADMIN_TOKEN_FILE = "admin-token";
    public static final String REGISTRATION_TOKEN_FILE = "registration-token";

    /** Prefix of the admin token: tells a leaked one apart (secret scanners), like the agent tokens' prefixes. */
    public static final String ADMIN_TOKEN_PREFIX = "hcadm_";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The credentials kept in {@code dataDir}; each missing one is generated and written (0600). */
    public static LocalCredentials loadOrCreate(Path dataDir) {
        String webhookSecret = readOrCreate(dataDir.resolve(WEBHOOK_SECRET_FILE), LocalCredentials::newWebhookSecret);
        String adminToken = readOrCreate(dataDir.resolve(ADMIN_TOKEN_FILE), LocalCredentials::newAdminToken);
        String registrationToken = readOrCreate(dataDir.resolve(REGISTRATION_TOKEN_FILE),
                () -> Tokens.generate(TokenKind.REGISTRATION).reveal());
        if (TokenKind.of(registrationToken).filter(kind -> kind == TokenKind.REGISTRATION).isEmpty()) {
            throw new IllegalStateException(dataDir.resolve(REGISTRATION_TOKEN_FILE)
                    + " does not hold a registration token (hcr_ followed by 43 characters); delete it to get a new one");
        }
        return new LocalCredentials(webhookSecret, adminToken, registrationToken);
    }

    /** GitHub shows webhook secrets as free text; 32 random bytes in hex are as strong as the HMAC key can use. */
    static String newWebhookSecret() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    static String newAdminToken() {
        byte[] random = new byte[Tokens.RANDOM_BYTES];
        RANDOM.nextBytes(random);
        return ADMIN_TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    @Override
    public String toString() {
        // Never print secrets by accident (a record's default toString would).
        return "LocalCredentials[webhookSecret=***, adminToken=***, registrationToken=***]";
    }

    private interface Generator {
        String generate();
    }

    private static String readOrCreate(Path file, Generator generator) {
        try {
            if (Files.isRegularFile(file)) {
                String value = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (value.isEmpty()) throw new IllegalStateException(file + " is empty; delete it to get a new value");
                return value;
            }
            String value = generator.generate();
            writePrivate(file, value + "\n");
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    /** Creates the file readable by its owner only from the first byte on (no window with wider rights). */
    static void writePrivate(Path file, String content) throws IOException {
        // Created by another start a moment ago: overwriting keeps the 0600 it was created with.
        PrivateFiles.createOwnerOnly(file);
        Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
