package io.hybridci.aws.dynamodb;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.EncryptionAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;

/**
 * {@link KeyProtector} on a KMS key: {@code Encrypt} and {@code Decrypt} with the key id given
 * (symmetric, SYMMETRIC_DEFAULT), the caller's context passed as the KMS encryption context, so a
 * ciphertext copied onto another session item does not decrypt there (KMS answers
 * InvalidCiphertextException). Stored form: {@code kms:<base64(CiphertextBlob)>}.
 *
 * <p>Signing keys are a few dozen bytes, far below Encrypt's 4 KB limit, so they are encrypted by KMS
 * directly: no data keys, no envelope, and the functions need only {@code kms:Encrypt} / {@code kms:Decrypt}.
 * The same class runs in AWS and in the local cloud (against its LocalKms endpoint).
 *
 * <p>The encryption context is not secret (CloudTrail records it): it is the SHA-256 of a session token,
 * which the state table holds anyway.
 *
 * <p>Decrypted values are cached per (ciphertext, context) for {@value #CACHE_SECONDS} s in the container:
 * job-updater verifies every agent message, and a KMS call per log chunk would cost latency, request quota
 * and money. A disabled key therefore stops decryption in warm containers within that time, not at once.
 */
public final class KmsKeyProtector implements KeyProtector {

    /** The encryption-context entry that carries the binding (e.g. {@code session:<token hash>}). */
    public static final String CONTEXT_KEY = "hybridci:binding";
    static final String PREFIX = "kms:";
    static final long CACHE_SECONDS = 300;
    private static final int CACHE_ENTRIES = 1_000;

    private final KmsClient kms;
    private final String keyId;
    private final Map<CacheKey, Cached> decrypted = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<CacheKey, Cached> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    /**
     * @param kms   the process's one KMS client
     * @param keyId the key's ARN (or id); on Decrypt it is given too, so KMS refuses ciphertexts of other keys
     */
    public KmsKeyProtector(KmsClient kms, String keyId) {
        this.kms = Objects.requireNonNull(kms, "kms");
        this.keyId = Objects.requireNonNull(keyId, "keyId");
    }

    @Override
    public String protect(String plaintext, String context) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] blob = kms.encrypt(request -> request.keyId(keyId)
                        .encryptionAlgorithm(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT)
                        .encryptionContext(encryptionContext(context))
                        .plaintext(SdkBytes.fromString(plaintext, StandardCharsets.UTF_8)))
                .ciphertextBlob().asByteArray();
        return PREFIX + Base64.getEncoder().encodeToString(blob);
    }

    @Override
    public String unprotect(String protectedValue, String context) {
        if (protectedValue == null || !protectedValue.startsWith(PREFIX)) {
            throw new IllegalStateException("protected key has an unknown format (not KMS ciphertext)");
        }
        CacheKey cacheKey = new CacheKey(protectedValue, context);
        long now = System.nanoTime();
        synchronized (decrypted) {
            Cached cached = decrypted.get(cacheKey);
            if (cached != null && now - cached.storedAtNanos() < Duration.ofSeconds(CACHE_SECONDS).toNanos()) {
                return cached.plaintext();
            }
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(protectedValue.substring(PREFIX.length()));
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalStateException("protected key is not valid base64");
        }
        String plaintext;
        try {
            plaintext = kms.decrypt(request -> request.keyId(keyId)
                            .encryptionAlgorithm(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT)
                            .encryptionContext(encryptionContext(context))
                            .ciphertextBlob(SdkBytes.fromByteArray(blob)))
                    .plaintext().asString(StandardCharsets.UTF_8);
        } catch (InvalidCiphertextException | IncorrectKeyException e) {
            // Tampered, another context, or another key: the caller treats it as no valid key. Throttling,
            // access denied and outages are not caught: they are failures to retry, not forgeries.
            throw new IllegalStateException("protected key does not decrypt (tampered, or another context/key)");
        }
        synchronized (decrypted) {
            decrypted.put(cacheKey, new Cached(plaintext, now));
        }
        return plaintext;
    }

    private static Map<String, String> encryptionContext(String context) {
        return Map.of(CONTEXT_KEY, Objects.requireNonNull(context, "context"));
    }

    @Override
    public String toString() {
        return "KmsKeyProtector[" + keyId + "]";
    }

    private record CacheKey(String protectedValue, String context) {
    }

    private record Cached(String plaintext, long storedAtNanos) {
        @Override
        public String toString() {
            return "Cached[plaintext=<redacted>]";
        }
    }
}
