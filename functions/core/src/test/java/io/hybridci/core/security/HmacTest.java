package io.hybridci.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HmacTest {

    // GitHub's documented test vector for X-Hub-Signature-256
    // (docs.github.com, "Validating webhook deliveries", "Testing the webhook payload validation").
    private static final Secret GITHUB_SECRET = Secret.of("It's a Secret to Everybody");
    private static final byte[] GITHUB_PAYLOAD = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final String GITHUB_SIGNATURE =
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void shouldMatchGithubsTestVector_whenSigningWebhookPayload() {
        assertEquals(GITHUB_SIGNATURE, Hmac.webhookSignature(GITHUB_SECRET, GITHUB_PAYLOAD));
    }

    @Test
    void shouldAcceptGithubsSignature_whenSecretIsAccepted() {
        assertEquals(SignatureCheck.VALID, Hmac.verifyWebhook(List.of(GITHUB_SECRET), GITHUB_PAYLOAD, GITHUB_SIGNATURE));
    }

    @Test
    void shouldAcceptSignatureByPendingSecret_whenSecretIsBeingRotated() {
        Secret current = Secret.of("current-secret");

        assertEquals(SignatureCheck.VALID,
                Hmac.verifyWebhook(List.of(current, GITHUB_SECRET), GITHUB_PAYLOAD, GITHUB_SIGNATURE));
    }

    @Test
    void shouldAcceptUppercaseHex_whenProxyRewroteTheHeader() {
        String upper = "sha256=" + GITHUB_SIGNATURE.substring(7).toUpperCase();

        assertEquals(SignatureCheck.VALID, Hmac.verifyWebhook(List.of(GITHUB_SECRET), GITHUB_PAYLOAD, upper));
    }

    @Test
    void shouldReportMismatch_whenBodyWasAltered() {
        byte[] altered = "Hello, World?".getBytes(StandardCharsets.UTF_8);

        assertEquals(SignatureCheck.MISMATCH, Hmac.verifyWebhook(List.of(GITHUB_SECRET), altered, GITHUB_SIGNATURE));
    }

    @Test
    void shouldReportMismatch_whenSecretIsWrong() {
        assertEquals(SignatureCheck.MISMATCH,
                Hmac.verifyWebhook(List.of(Secret.of("wrong")), GITHUB_PAYLOAD, GITHUB_SIGNATURE));
    }

    @Test
    void shouldFailClosed_whenNoSecretIsConfigured() {
        assertEquals(SignatureCheck.MISMATCH, Hmac.verifyWebhook(List.of(), GITHUB_PAYLOAD, GITHUB_SIGNATURE));
    }

    @Test
    void shouldReportMissing_whenHeaderIsAbsentOrBlank() {
        assertEquals(SignatureCheck.MISSING, Hmac.verifyWebhook(List.of(GITHUB_SECRET), GITHUB_PAYLOAD, null));
        assertEquals(SignatureCheck.MISSING, Hmac.verifyWebhook(List.of(GITHUB_SECRET), GITHUB_PAYLOAD, " "));
    }

    @Test
    void shouldReportMalformed_whenHeaderIsNotSha256Hex() {
        for (String header : List.of("sha1=757107ea0eb2509fc211221cce984b8a37570b6d", "sha256=xyz",
                GITHUB_SIGNATURE.substring(7), GITHUB_SIGNATURE + "00")) {
            assertEquals(SignatureCheck.MALFORMED, Hmac.verifyWebhook(List.of(GITHUB_SECRET), GITHUB_PAYLOAD, header), header);
        }
    }

    @Test
    void shouldMatchAnIndependentHmac_whenSigningAgentMessage() {
        // Computed with Python: hmac.new(b"key", b'1700000000\n{"type":"started"}', sha256).hexdigest()
        assertEquals("ce9e26259551fe1a1800b4a4df833732b08657a451b6ea45a2ea172bdb47bd52",
                Hmac.agentMessageSignature(Secret.of("key"), "1700000000", "{\"type\":\"started\"}"));
    }

    @Test
    void shouldVerifyAgentMessage_whenSignedWithTheSameKeyAndTimestamp() {
        Secret key = Secret.of("signing-key");
        String signature = Hmac.agentMessageSignature(key, "1700000000", "{}");

        assertEquals(SignatureCheck.VALID, Hmac.verifyAgentMessage(key, "1700000000", "{}", signature));
    }

    @Test
    void shouldRejectAgentMessage_whenTimestampWasReplacedToReplayIt() {
        Secret key = Secret.of("signing-key");
        String signature = Hmac.agentMessageSignature(key, "1700000000", "{}");

        assertEquals(SignatureCheck.MISMATCH, Hmac.verifyAgentMessage(key, "1700000999", "{}", signature));
    }

    @Test
    void shouldRejectAgentMessage_whenSignatureIsMissingOrMalformed() {
        Secret key = Secret.of("signing-key");

        assertEquals(SignatureCheck.MISSING, Hmac.verifyAgentMessage(key, "1", "{}", null));
        assertEquals(SignatureCheck.MALFORMED, Hmac.verifyAgentMessage(key, "1", "{}", "not-hex"));
    }
}
