package io.hybridci.aws.dynamodb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link KeyProtector} with AES-256-GCM under a key derived from a secret (HMAC-SHA256 of a fixed
 * label, so the secret itself is never used as a cipher key). Stored form:
 * {@code v1:<base64url(12-byte nonce || ciphertext || tag)>}; the version prefix lets a KMS
 * implementation coexist while keys are re-wrapped.
 */
public final class AesGcmKeyProtector implements KeyProtector {
    private static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private AesGcmKeyProtector(byte[] keyBytes) {
        this.key = new SecretKeySpec(keyBytes, "AES");
    }

    /** A protector whose key is derived from {@code secret} (at least 32 characters). */
    public static AesGcmKeyProtector fromSecret(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length() < 32) {
            throw new IllegalArgumentException("the key-protection secret must have at least 32 characters");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return new AesGcmKeyProtector(mac.doFinal("hybridci signing-key protection v1".getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String protect(String plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    @Override
    public String unprotect(String protectedValue, String context) {
        if (protectedValue == null || !protectedValue.startsWith(PREFIX)) {
            throw new IllegalStateException("protected key has an unknown format");
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(protectedValue.substring(PREFIX.length()));
            if (in.length <= NONCE_BYTES) {
                throw new IllegalStateException("protected key is truncated");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // No detail: the message must not help an attacker nor leak key material.
            throw new IllegalStateException("protected key does not decrypt (tampered, or another context/key)");
        }
    }

    @Override
    public String toString() {
        return "AesGcmKeyProtector[key=<redacted>]";
    }
}
