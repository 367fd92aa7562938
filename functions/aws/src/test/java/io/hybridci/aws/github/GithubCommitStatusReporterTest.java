package io.hybridci.aws.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.core.status.CommitState;
import io.hybridci.core.status.CommitStatus;
import io.hybridci.core.status.RecordingGithubServer;
import io.hybridci.core.status.RecordingGithubServer.Call;
import io.hybridci.core.status.RecordingGithubServer.Reply;
import io.hybridci.core.status.StatusReportException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GithubCommitStatusReporterTest {

    private static final String SHA = "9f2c1e0b7d4a5c3e8f1b2a6d0c9e7f4a3b5d1c2e";
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final CommitStatus PASSED = new CommitStatus(CommitState.SUCCESS,
            "https://ci.example.com/#/builds/b-1", "Build passed in 12s", "hybridci");

    private final RecordingGithubServer github = RecordingGithubServer.start();
    private final List<Duration> pauses = new ArrayList<>();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @AfterEach
    void stop() {
        github.close();
    }

    @Test
    void shouldPostTheStatusAsGithubExpects_whenReporting() {
        reporter(GithubAuthorization.token("github_pat_secret1")).report("acme/widgets", SHA, PASSED);

        Call call = github.calls().getFirst();
        assertEquals(List.of(), github.problems());
        assertEquals("/api/v3/repos/acme/widgets/statuses/" + SHA, call.path());
        assertEquals("Bearer github_pat_secret1", call.headers().get("authorization"));
        assertEquals("application/vnd.github+json", call.headers().get("accept"));
        assertEquals("{\"state\":\"success\",\"target_url\":\"https://ci.example.com/#/builds/b-1\","
                + "\"description\":\"Build passed in 12s\",\"context\":\"hybridci\"}", call.body());
        assertTrue(pauses.isEmpty());
    }

    @Test
    void shouldLeaveOutTargetUrl_whenStatusHasNoLink() {
        reporter(GithubAuthorization.token("t")).report("acme/widgets", SHA,
                new CommitStatus(CommitState.PENDING, null, "Build running", "hybridci"));

        assertFalse(github.calls().getFirst().json().has("target_url"));
    }

    @Test
    void shouldWaitRetryAfterAndSendAgain_whenSecondaryRateLimited() {
        github.thenReply(new Reply(403, Map.of("Retry-After", "3"), "{\"message\":\"You have exceeded a secondary rate limit\"}"));

        reporter(GithubAuthorization.token("t")).report("acme/widgets", SHA, PASSED);

        assertEquals(List.of(Duration.ofSeconds(3)), pauses);
        assertEquals(2, github.calls().size());
        assertEquals(List.of("success"), github.acceptedStates());
    }

    @Test
    void shouldWaitUntilReset_whenPrimaryLimitIsExhausted() {
        github.thenReply(new Reply(403, Map.of("X-RateLimit-Remaining", "0",
                "X-RateLimit-Reset", String.valueOf(NOW.plusSeconds(7).getEpochSecond())), "{\"message\":\"API rate limit exceeded\"}"));

        reporter(GithubAuthorization.token("t")).report("acme/widgets", SHA, PASSED);

        assertEquals(List.of(Duration.ofSeconds(7)), pauses);
        assertEquals(List.of("success"), github.acceptedStates());
    }

    @Test
    void shouldThrowRetryableWithoutSleeping_whenResetIsLongerThanTheFunctionMayWait() {
        github.thenReply(new Reply(429, Map.of("X-RateLimit-Remaining", "0",
                "X-RateLimit-Reset", String.valueOf(NOW.plusSeconds(3600).getEpochSecond())), "{}"));

        StatusReportException thrown = assertThrows(StatusReportException.class,
                () -> reporter(GithubAuthorization.token("t")).report("acme/widgets", SHA, PASSED));

        assertTrue(thrown.retryable());
        assertTrue(pauses.isEmpty());
        assertEquals(1, github.calls().size());
    }

    @Test
    void shouldWaitBeforeTheNextCall_whenTheLastOneUsedTheWindow() {
        github.thenReply(new Reply(201, Map.of("X-RateLimit-Remaining", "0",
                "X-RateLimit-Reset", String.valueOf(NOW.plusSeconds(5).getEpochSecond())), "{}"));
        GithubCommitStatusReporter reporter = reporter(GithubAuthorization.token("t"));

        reporter.report("acme/widgets", SHA, PASSED);
        reporter.report("acme/widgets", SHA, PASSED);

        assertEquals(List.of(Duration.ofSeconds(5)), pauses);
        assertEquals(2, github.calls().size());
    }

    @Test
    void shouldBackOffExponentially_whenGithubAnswers5xx() {
        github.thenReply(new Reply(502, Map.of(), "{}"), new Reply(503, Map.of(), "{}"));

        reporter(GithubAuthorization.token("t")).report("acme/widgets", SHA, PASSED);

        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), pauses);
        assertEquals(List.of("success"), github.acceptedStates());
    }

    @Test
    void shouldThrowRetryable_whenEveryAttemptFails() {
        Reply down = new Reply(500, Map.of(), "{}");
        github.thenReply(down, down, down, down);

        StatusReportException thrown = assertThrows(StatusReportException.class,
                () -> reporter(GithubAuthorization.token("t")).report("acme/widgets", SHA, PASSED));

        assertTrue(thrown.retryable());
        assertEquals(GithubCommitStatusReporter.MAX_ATTEMPTS, github.calls().size());
    }

    @Test
    void shouldThrowNotRetryable_whenGithubRejectsTheCommit() {
        github.thenReply(new Reply(422, Map.of(), "{\"message\":\"No commit found for SHA\"}"));

        StatusReportException thrown = assertThrows(StatusReportException.class,
                () -> reporter(GithubAuthorization.token("t")).report("acme/widgets", SHA, PASSED));

        assertFalse(thrown.retryable());
        assertTrue(thrown.getMessage().contains("No commit found"), thrown.getMessage());
    }

    @Test
    void shouldRefuseAPathOutsideTheStatusEndpoint_whenRepoIsMalformed() {
        assertThrows(StatusReportException.class,
                () -> reporter(GithubAuthorization.token("t")).report("acme/../../admin", SHA, PASSED));
        assertTrue(github.calls().isEmpty());
    }

    @Test
    void shouldReReadTheSecretAndRetryOnce_whenGithubAnswers401() {
        AtomicReference<String> secret = new AtomicReference<>("old-token");
        SecretBackedAuthorization auth = new SecretBackedAuthorization(secret::get,
                credentials -> GithubAuthorization.token(((GithubCredentials.Token) credentials).token()),
                clock, Duration.ofMinutes(5));
        GithubCommitStatusReporter reporter = reporter(auth);
        reporter.report("acme/widgets", SHA, PASSED);
        github.thenReply(new Reply(401, Map.of(), "{\"message\":\"Bad credentials\"}"));
        secret.set("new-token");

        reporter.report("acme/widgets", SHA, PASSED);

        List<String> used = github.calls().stream().map(call -> call.headers().get("authorization")).toList();
        assertEquals(List.of("Bearer old-token", "Bearer old-token", "Bearer new-token"), used);
    }

    @Test
    void shouldBuyOneInstallationTokenWithASignedJwt_whenConfiguredAsGithubApp() throws Exception {
        KeyPair keys = rsaKeys();
        String pkcs1Pem = pem("RSA PRIVATE KEY", pkcs1(keys.getPrivate().getEncoded()));
        SecretBackedAuthorization auth = new SecretBackedAuthorization(
                () -> "{\"appId\": 12345, \"installationId\": 678, \"privateKey\": \"" + pkcs1Pem.replace("\n", "\\n") + "\"}",
                credentials -> new GithubAppAuthorization(GithubCommitStatusReporter.httpClient(), github.baseUrl(),
                        (GithubCredentials.App) credentials, Clock.systemUTC()),
                Clock.systemUTC(), Duration.ofMinutes(5));
        GithubCommitStatusReporter reporter = reporter(auth);

        reporter.report("acme/widgets", SHA, PASSED);
        reporter.report("acme/widgets", SHA, PASSED);

        List<Call> calls = github.calls();
        assertEquals(List.of(), github.problems());
        assertEquals(List.of("/api/v3/app/installations/678/access_tokens", "/api/v3/repos/acme/widgets/statuses/" + SHA,
                "/api/v3/repos/acme/widgets/statuses/" + SHA), calls.stream().map(Call::path).toList());
        assertEquals("Bearer " + RecordingGithubServer.INSTALLATION_TOKEN, calls.get(2).headers().get("authorization"));
        String[] jwt = calls.getFirst().headers().get("authorization").substring("Bearer ".length()).split("\\.");
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(keys.getPublic());
        rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(rs256.verify(Base64.getUrlDecoder().decode(jwt[2])), "JWT signature does not verify");
        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(jwt[1]));
        assertEquals("12345", claims.get("iss").asText());
        assertTrue(claims.get("exp").asLong() - claims.get("iat").asLong() <= 600, "GitHub allows at most 10 minutes");
    }

    @Test
    void shouldReadTokenOrAppAndNeverPrintSecrets_whenParsingCredentials() {
        GithubCredentials token = GithubCredentials.parse("  github_pat_abc\n");
        GithubCredentials app = GithubCredentials.parse("{\"appId\":1,\"installationId\":2,\"privateKey\":\"KEY\"}");

        assertEquals(new GithubCredentials.Token("github_pat_abc"), token);
        assertEquals(new GithubCredentials.App(1, 2, "KEY"), app);
        assertFalse(token.toString().contains("github_pat_abc"));
        assertFalse(app.toString().contains("KEY"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> GithubCredentials.parse("{\"appId\":1}"));
        assertTrue(missing.getMessage().contains("installationId, privateKey"), missing.getMessage());
    }

    private GithubCommitStatusReporter reporter(GithubAuthorization auth) {
        return new GithubCommitStatusReporter(GithubCommitStatusReporter.httpClient(), github.baseUrl(), auth, clock,
                pauses::add, Duration.ofSeconds(20), Duration.ofSeconds(1));
    }

    private static KeyPair rsaKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /** The PKCS#1 key inside a 2048-bit PKCS#8 encoding: what GitHub's downloaded .pem holds. */
    private static byte[] pkcs1(byte[] pkcs8) {
        // SEQUENCE(4) INTEGER 0(3) AlgorithmIdentifier(15) OCTET STRING header(4) = 26 bytes before the key.
        return Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
