package io.hybridci.core.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signatures: GitHub's webhook signature ({@code X-Hub-Signature-256}) and the
 * signature on every message an agent sends (DESIGN section 7).
 *
 * <p>Comparisons are constant-time ({@link MessageDigest#isEqual}) so response timing reveals
 * nothing about how much of a forged signature was right. Signatures are compared as decoded
 * bytes, after a format check that depends only on the attacker's own input.
 */
public final class Hmac {

    /** The prefix GitHub puts before the hex digest in {@code X-Hub-Signature-256}. */
    public static final String WEBHOOK_SIGNATURE_PREFIX = "sha256=";

    private static final String ALGORITHM = "HmacSHA256";
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private Hmac() {
    }

    /**
     * The {@code X-Hub-Signature-256} value GitHub sends for {@code rawBody}: {@code sha256=} and
     * the lowercase hex HMAC-SHA256 of the body's exact bytes, keyed with the webhook secret.
     */
    public static String webhookSignature(Secret secret, byte[] rawBody) {
        return WEBHOOK_SIGNATURE_PREFIX + HexFormat.of().formatHex(hmac(secret, rawBody));
    }

    /**
     * Checks {@code header} against every accepted secret (during a rotation, the current and the
     * pending one). All secrets are tried, even after a match, so timing does not tell which matched.
     * With no accepted secret nothing is valid: a misconfiguration fails closed.
     *
     * @param rawBody the request body exactly as received, before any decoding
     * @param header the {@code X-Hub-Signature-256} header, or null when absent
     */
    public static SignatureCheck verifyWebhook(List<Secret> acceptedSecrets, byte[] rawBody, String header) {
        if (header == null || header.isBlank()) {
            return SignatureCheck.MISSING;
        }
        String trimmed = header.strip();
        if (!trimmed.startsWith(WEBHOOK_SIGNATURE_PREFIX)
                || !HEX_SHA256.matcher(trimmed.substring(WEBHOOK_SIGNATURE_PREFIX.length())).matches()) {
            return SignatureCheck.MALFORMED;
        }
        byte[] presented = HexFormat.of().parseHex(trimmed.substring(WEBHOOK_SIGNATURE_PREFIX.length()).toLowerCase(Locale.ROOT));
        boolean matched = false;
        for (Secret secret : acceptedSecrets) {
            matched |= MessageDigest.isEqual(hmac(secret, rawBody), presented);
        }
        return matched ? SignatureCheck.VALID : SignatureCheck.MISMATCH;
    }

    /**
     * The signature an agent puts on a message: lowercase hex HMAC-SHA256, keyed with its signing
     * key, over {@code timestamp + "\n" + body}. The timestamp is signed so that the receiver can
     * reject stale messages and a captured message cannot be replayed with a fresh timestamp.
     */
    public static String agentMessageSignature(Secret signingKey, String timestamp, String body) {
        return HexFormat.of().formatHex(hmac(signingKey, agentMessageBytes(timestamp, body)));
    }

    /** Constant-time check of an agent message's signature; see {@link #agentMessageSignature}. */
    public static SignatureCheck verifyAgentMessage(Secret signingKey, String timestamp, String body, String signature) {
        if (signature == null || signature.isBlank()) {
            return SignatureCheck.MISSING;
        }
        if (!HEX_SHA256.matcher(signature.strip()).matches()) {
            return SignatureCheck.MALFORMED;
        }
        byte[] presented = HexFormat.of().parseHex(signature.strip().toLowerCase(Locale.ROOT));
        return MessageDigest.isEqual(hmac(signingKey, agentMessageBytes(timestamp, body)), presented)
                ? SignatureCheck.VALID
                : SignatureCheck.MISMATCH;
    }

    private static byte[] agentMessageBytes(String timestamp, String body) {
        return (timestamp + "\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hmac(Secret key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key.utf8(), ALGORITHM));
            return mac.doFinal(message);
        } catch (NoSuchAlgorithmException | InvalidKeyException impossible) {
            // Every JDK provides HmacSHA256, and a non-empty key (Secret guarantees one) is always valid for it.
            throw new IllegalStateException(impossible);
        }
    }
}
