package io.hybridci.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * The local KMS key under which agents' signing keys are stored, as CDK's SigningKeys construct is in AWS:
 * created on the first start, its ARN remembered in {@code <data>/signing-key-id} (not secret: the key's
 * material stays in the KMS engine's {@code kms.json}) and checked at every later start.
 */
final class LocalSigningKey {

    static final String KEY_ID_FILE = "signing-key-id";
    /** Where data dirs before the local KMS kept the secret their signing keys were encrypted under. */
    static final String LEGACY_SECRET_FILE = "key-protection-secret";

    private LocalSigningKey() {
    }

    /** The key's ARN: the remembered one, or a new key on a fresh data dir. */
    static String ensure(Path dataDir, KmsClient kms) {
        Path file = dataDir.resolve(KEY_ID_FILE);
        try {
            if (Files.isRegularFile(file)) {
                String arn = Files.readString(file, StandardCharsets.UTF_8).strip();
                try {
                    return kms.describeKey(d -> d.keyId(arn)).keyMetadata().arn();
                } catch (NotFoundException e) {
                    throw new IllegalStateException(file + " names " + arn + ", which the local KMS (" + dataDir.resolve("kms.json")
                            + ") does not hold: agents' stored signing keys cannot be decrypted. Start with a fresh --data directory.");
                }
            }
            if (Files.exists(dataDir.resolve(LEGACY_SECRET_FILE))) {
                // Sessions of such a data dir hold signing keys under the old secret, which KMS cannot decrypt;
                // carrying both formats forever for a local MVP is not worth it.
                throw new IllegalStateException(dataDir + " was created by an earlier version that encrypted agents' "
                        + "signing keys with " + LEGACY_SECRET_FILE + "; they are now encrypted by the local KMS. "
                        + "Start with a fresh --data directory (agents register again).");
            }
            String arn = kms.createKey(c -> c.description("Hybrid CI (local): encrypts agents' message-signing keys"))
                    .keyMetadata().arn();
            Files.writeString(file, arn + "\n", StandardCharsets.UTF_8);
            return arn;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }
}
