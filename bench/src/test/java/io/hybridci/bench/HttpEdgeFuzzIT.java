package io.hybridci.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input at the three HTTP edges of a real local cloud (127.0.0.1 only): random, truncated, oversized,
 * wrongly typed and unicode-heavy bodies, headers and signatures. Never a 5xx, never a stack trace in a
 * body, and nothing a rejected request could have created. Seeded, so a failure repeats; bounded in count
 * and time.
 */
class HttpEdgeFuzzIT {

    private static final long SEED = 20261125L;
    private static final int REQUESTS_PER_EDGE = 120;
    private static final Duration TIME_LIMIT = Duration.ofMinutes(4);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static BenchCloud cloud;

    @BeforeAll
    static void start() {
        cloud = BenchCloud.start();
    }

    @AfterAll
    static void stop() {
        if (cloud != null) cloud.close();
    }

    /** A body from one of the shapes that break parsers. */
    private static String badBody(Random random, String validExample) {
        return switch (random.nextInt(8)) {
            case 0 -> "";
            case 1 -> validExample.substring(0, random.nextInt(validExample.length()));           // truncated
            case 2 -> "{\"ref\":" + random.nextInt() + ",\"after\":[],\"repository\":\"x\",\"queues\":7}"; // wrongly typed
            case 3 -> "x".repeat(1_100_000);                                                      // oversized
            case 4 -> "{\"name\":\"" + "\u202e\ud83d\udca5\u0000\u00e9\u4e2d".repeat(500) + "\"}";  // unicode and NUL
            case 5 -> "[".repeat(5000);                                                           // deep nesting
            case 6 -> new String(randomBytes(random, 2000), StandardCharsets.ISO_8859_1);         // noise
            default -> validExample.replace('"', random.nextBoolean() ? '\'' : ':');              // mangled quotes
        };
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private record Answer(String request, int status, String body) {}

    private static Answer send(String method, String path, String body, List<String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cloud.cloud.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.size(); i += 2) request.header(headers.get(i), headers.get(i + 1));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(method + " " + path, response.statusCode(), response.body());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed at the transport: " + e, e);
        }
    }

    private static void assertNoServerError(List<Answer> answers) {
        List<Answer> bad = new ArrayList<>();
        for (Answer answer : answers) {
            boolean trace = answer.body().contains("Exception") || answer.body().contains("\tat ") || answer.body().contains("at io.hybridci");
            if (answer.status() >= 500 || trace) bad.add(answer);
        }
        assertTrue(bad.isEmpty(), bad.size() + " of " + answers.size() + " answers were 5xx or carried a stack trace, first: "
                + bad.stream().limit(3).map(a -> a.request() + " → " + a.status() + " " + a.body().substring(0, Math.min(300, a.body().length()))).toList());
    }

    @Test
    void shouldNeverAnswer5xxNorCreateABuild_whenWebhooksAreMalformedOrForged() {
        Random random = new Random(SEED);
        String valid = new String(readPush(), StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + TIME_LIMIT.toNanos();
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < REQUESTS_PER_EDGE && System.nanoTime() < deadline; i++) {
            String body = badBody(random, valid);
            // Half of them correctly signed with the real secret: the parser behind the signature check is fuzzed too.
            String signature = switch (random.nextInt(4)) {
                case 0 -> "sha256=" + ProtocolAgent.hmacHex(cloud.cloud.credentials().webhookSecret(), body);
                case 1 -> "sha256=" + ProtocolAgent.hmacHex(cloud.cloud.credentials().webhookSecret(), body);
                case 2 -> "sha1=deadbeef";
                default -> "sha256=" + "z".repeat(random.nextInt(80));
            };
            String event = List.of("push", "pull_request", "ping", "", "push\u0000", "x".repeat(300)).get(random.nextInt(6));
            List<String> headers = new ArrayList<>(List.of("Content-Type", random.nextBoolean() ? "application/json" : "text/plain",
                    "X-GitHub-Delivery", random.nextBoolean() ? java.util.UUID.randomUUID().toString() : "not-a-uuid"));
            if (!event.isEmpty() && !event.contains("\u0000")) headers.addAll(List.of("X-GitHub-Event", event));
            if (random.nextInt(5) > 0) headers.addAll(List.of("X-Hub-Signature-256", signature));
            answers.add(send("POST", "/webhooks/github", body, headers));
        }
        assertNoServerError(answers);
        JsonNode builds = cloud.admin("/api/v1/builds?limit=100");
        assertEquals(0, builds.path("builds").size(), "a rejected delivery created a build: " + builds);
    }

    @Test
    void shouldNeverAnswer5xx_whenTheUserApiGetsBadPathsTokensAndBodies() {
        Random random = new Random(SEED + 1);
        List<String> paths = List.of("/api/v1/builds", "/api/v1/builds/%s", "/api/v1/jobs/%s", "/api/v1/jobs/%s/log",
                "/api/v1/jobs/%s/cancel", "/api/v1/jobs/%s/retry", "/api/v1/agents", "/api/v1/audit/verify", "/api/v1/%s",
                "/api/v1/builds?limit=%s", "/api/v1/builds?state=%s&cursor=%s", "/api/v1/dead-letters?queue=%s",
                "/api/v1/dead-letters?limit=%s&queue=%s");
        List<String> ids = List.of("", "..%2F..%2Fetc", "%00", "\u00e9", "x".repeat(2000), "-1", "9999999999999999999999", "%25ZZ", "a%2Fb");
        long deadline = System.nanoTime() + TIME_LIMIT.toNanos();
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < REQUESTS_PER_EDGE && System.nanoTime() < deadline; i++) {
            String id = ids.get(random.nextInt(ids.size())).replace("\u00e9", "%C3%A9");
            String path = paths.get(random.nextInt(paths.size())).replace("%s", id);
            String method = List.of("GET", "POST", "PUT", "DELETE", "PATCH").get(random.nextInt(5));
            String token = switch (random.nextInt(4)) {
                case 0 -> cloud.cloud.credentials().adminToken();
                case 1 -> "hcadm_" + "0".repeat(random.nextInt(64));
                case 2 -> "";
                default -> cloud.cloud.credentials().registrationToken();
            };
            List<String> headers = token.isEmpty() ? List.of() : List.of("Authorization", "Bearer " + token);
            answers.add(send(method, path, method.equals("GET") || method.equals("DELETE") ? null : badBody(random, "{\"reason\":\"x\"}"), headers));
        }
        assertNoServerError(answers);
    }

    @Test
    void shouldNeverAnswer5xxNorRegister_whenAgentsSendMalformedRequests() {
        Random random = new Random(SEED + 2);
        String registration = "{\"name\":\"a\",\"queues\":[\"default\"],\"version\":\"0.1.0\",\"hostname\":\"a\",\"os\":\"linux\",\"arch\":\"amd64\"}";
        long deadline = System.nanoTime() + TIME_LIMIT.toNanos();
        List<Answer> answers = new ArrayList<>();
        int registeredByForgery = 0;
        for (int i = 0; i < REQUESTS_PER_EDGE && System.nanoTime() < deadline; i++) {
            String path = List.of("/agent/v1/register", "/agent/v1/ping", "/agent/v1/jobs/%s/accept", "/agent/v1/jobs/%s/pipeline",
                    "/agent/v1/disconnect", "/agent/v1/jobs/%s").get(random.nextInt(6)).replace("%s", java.util.UUID.randomUUID().toString());
            boolean forged = random.nextBoolean();
            String token = forged ? "hcr_" + Long.toHexString(random.nextLong()) : cloud.cloud.credentials().registrationToken();
            Answer answer = send("POST", path, badBody(random, registration), List.of("Authorization", "Bearer " + token,
                    "Content-Type", "application/json"));
            if (forged && answer.status() / 100 == 2) registeredByForgery++;
            answers.add(answer);
        }
        assertNoServerError(answers);
        assertEquals(0, registeredByForgery, "a forged token was accepted");
    }

    private static byte[] readPush() {
        try (var in = HttpEdgeFuzzIT.class.getResourceAsStream("/bench-push.json")) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
