package io.hybridci.aws.dynamodb;

/**
 * Encrypts the agents' signing keys before they are stored: unlike tokens (kept only as hashes),
 * the control plane must read a signing key back to verify a message, so it is kept encrypted,
 * never in clear: {@link KmsKeyProtector}, under a KMS key in AWS and under the local cloud's KMS locally.
 *
 * <p>{@code context} is bound to the ciphertext (AES-GCM associated data, KMS encryption context),
 * so a ciphertext copied onto another item does not decrypt there.
 */
public interface KeyProtector {

    /** The protected form of {@code plaintext}, safe to store. */
    String protect(String plaintext, String context);

    /** The plaintext back; throws {@link IllegalStateException} when tampered with or under another context. */
    String unprotect(String protectedValue, String context);
}
