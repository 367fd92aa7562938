package io.hybridci.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.topology.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

/**
 * A generated corpus (QuickTheories: seeded, and a failure shrinks to a small example) of bad input at every edge
 * of a real local cloud: webhook bodies, headers and signatures; user API bodies and tokens; agent messages on the
 * agent-updates queue. Each is empty, truncated, wrongly typed, unicode-heavy (RTL override, emoji, escaped NUL,
 * generated BMP text), oversized, deeply nested, or a valid shape with a generated value, and signed, unsigned or
 * forged. Checked: never a 5xx or a stack trace; no event published and no build created for a rejected delivery;
 * no state changed by a forged or unauthenticated request or agent message, each agent message rejected and
 * recorded, none dead-lettered. (HttpEdgeFuzzIT covers paths, methods and route coverage with a seeded Random.)
 */
class GeneratedInputFuzzIT {

    private static final long SEED = 20261202L;
    private static final int EXAMPLES = 60;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> UNICODE = List.of("\u202e", "\ud83d\udca5", "\u4e2d\u6587", "\u00e9", "\ufeff", "\u0301\u0301\u0301");

    static BenchCloud cloud;

    @BeforeAll
    static void start() {
        cloud = BenchCloud.start();
    }

    @AfterAll
    static void stop() {
        if (cloud != null) cloud.close();
    }

    /** One of eight shapes that break parsers, made from a valid example and a generated string. */
    static String mangle(int kind, String valid, String text, int oversize) {
        return switch (kind) {
            case 0 -> "";
            case 1 -> valid.substring(0, text.length() % valid.length());                                  // truncated
            case 2 -> valid.replaceAll("\"[^\"]*\"(\\s*[,}\\]])", text.length() + "$1");                    // wrongly typed
            case 3 -> valid.replaceFirst(":\\s*\"[^\"]*\"", Matcher.quoteReplacement(":" + JSON.valueToTree(String.join(text, UNICODE).repeat(50) + "\u0000")));
            case 4 -> valid.replaceFirst(":\\s*\"[^\"]*\"", ":\"" + "x".repeat(oversize) + "\"");           // oversized
            case 5 -> "[".repeat(3000 + text.length()) + "]".repeat(text.length());                        // deep nesting
            case 6 -> text;                                                                                 // generated text
            default -> valid.replaceFirst(":\\s*\"[^\"]*\"", Matcher.quoteReplacement(":" + JSON.valueToTree(text))); // valid shape, generated value
        };
    }

    private static Gen<String> texts() {
        return strings().basicMultilingualPlaneAlphabet().ofLengthBetween(0, 80);
    }

    private record Answer(int status, String body) {
        boolean serverError() {
            return status >= 500 || body.contains("Exception") || body.contains("\tat ") || body.contains("at io.hybridci");
        }
    }

    private static Answer send(String method, String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cloud.cloud.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed at the transport: " + e, e);
        }
    }

    private static long putEventsCalls() {
        return EngineCallCounter.snapshot().entrySet().stream().filter(e -> e.getKey().operation().equals("PutEvents"))
                .mapToLong(e -> e.getValue().calls()).sum();
    }

    private static int builds() {
        return cloud.admin("/api/v1/builds?limit=100").path("builds").size();
    }

    /** Every item of the state table except the security log's rejections, by key. */
    private static Map<String, Map<String, AttributeValue>> stateWithoutRejections() {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = cloud.cloud.clients().dynamoDb().scan(r -> {
                r.tableName(cloud.cloud.topology().table(Topology.STATE_TABLE).name()).consistentRead(true);
                if (from != null) r.exclusiveStartKey(from);
            });
            page.items().stream().filter(i -> !i.get("pk").s().startsWith("REJECTION#")).forEach(i -> items.put(i.get("pk").s() + "|" + i.get("sk").s(), i));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    @Test
    void shouldNeverAnswer5xxNorPublishAnEvent_whenWebhooksAreGeneratedBadInput() {
        String valid = readPush();
        List<String> rejected = new ArrayList<>();
        qt().withFixedSeed(SEED).withExamples(EXAMPLES).withShrinkCycles(20)
                .forAll(integers().between(0, 7), integers().between(0, 4), Generate.pick(List.of("push", "pull_request", "ping", "issues", "x")), texts())
                .checkAssert((kind, signing, event, text) -> {
                    String body = mangle(kind, valid, text, 1_100_000);
                    String secret = cloud.cloud.credentials().webhookSecret();
                    String delivery = UUID.randomUUID().toString();
                    Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json", "X-GitHub-Event", event,
                            "X-GitHub-Delivery", delivery));
                    switch (signing) {
                        case 0, 1 -> headers.put("X-Hub-Signature-256", "sha256=" + ProtocolAgent.hmacHex(secret, body));        // genuine
                        case 2 -> headers.put("X-Hub-Signature-256", "sha256=" + ProtocolAgent.hmacHex("forged" + text, body)); // forged
                        case 3 -> headers.put("X-Hub-Signature-256", "sha256=" + text.replaceAll("[^ -~]", "?"));              // garbage
                        default -> { }                                                                                          // unsigned
                    }
                    Answer answer = send("POST", "/webhooks/github", body.getBytes(StandardCharsets.UTF_8), headers);
                    assertTrue(!answer.serverError(), "kind " + kind + ", signing " + signing + " → " + answer.status() + " " + answer.body());
                    if (signing >= 2) assertTrue(answer.status() / 100 == 4, "a forged or unsigned delivery was not refused: " + answer);
                    if (answer.status() / 100 != 2) rejected.add(delivery);
                });
        // Published by anyone, at any time since: a rejected delivery's id appears in no event and names no build.
        List<String> published = PublishedEvents.all();
        List<String> leaked = rejected.stream().filter(delivery -> published.stream().anyMatch(e -> e.contains(delivery))
                || cloud.admin("/api/v1/builds/" + io.hybridci.core.build.BuildIds.of(delivery)) != null).toList();
        assertTrue(rejected.size() > EXAMPLES / 2, "most generated deliveries are bad: " + rejected.size() + " rejected");
        assertEquals(List.of(), leaked, "rejected deliveries that were published or built, of " + rejected.size() + " rejected");
    }

    @Test
    void shouldNeverAnswer5xxNorChangeState_whenApiBodiesAndTokensAreGenerated() {
        String valid = "{\"repo\":\"acme/widgets\",\"cloneUrl\":\"https://github.com/acme/widgets.git\",\"commit\":\""
                + "9f2c1e0b7d4a5c3e8f1b2a6d0c9e7f4a3b5d1c2e\",\"branch\":\"main\"}";
        Map<String, Map<String, AttributeValue>> before = stateWithoutRejections();
        AtomicInteger created = new AtomicInteger();
        qt().withFixedSeed(SEED + 1).withExamples(EXAMPLES).withShrinkCycles(20)
                .forAll(integers().between(0, 7), integers().between(0, 3), Generate.pick(List.of("/api/v1/builds", "/api/v1/registration-tokens",
                        "/api/v1/jobs/" + UUID.randomUUID() + "/retry", "/api/v1/secrets/github-webhook/rotate")), texts())
                .checkAssert((kind, tokenKind, path, text) -> {
                    String token = switch (tokenKind) {
                        case 0 -> cloud.cloud.credentials().adminToken();
                        case 1 -> cloud.cloud.credentials().adminToken().substring(0, 8) + text.replaceAll("[^ -~]", "0");  // forged
                        case 2 -> cloud.cloud.credentials().registrationToken();                                             // wrong kind
                        default -> null;                                                                                      // none
                    };
                    Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json"));
                    if (token != null) headers.put("Authorization", "Bearer " + token);
                    Answer answer = send("POST", path, mangle(kind, valid, text, 1_100_000).getBytes(StandardCharsets.UTF_8), headers);
                    assertTrue(!answer.serverError(), path + " kind " + kind + " → " + answer.status() + " " + answer.body());
                    if (tokenKind != 0) {
                        // 401/403, or a 4xx the gateway gives before authentication (413 for 1.1 MB): never accepted.
                        assertTrue(answer.status() / 100 == 4, "a request without the admin token was not refused: "
                                + path + " → " + answer.status() + " " + answer.body());
                    } else if (answer.status() / 100 == 2) {
                        created.incrementAndGet();
                    }
                });
        if (created.get() == 0) {
            assertEquals(List.of(), differences(before, stateWithoutRejections()), "refused requests changed the state table");
        }
    }

    @Test
    void shouldRejectAndRecordEveryMessage_whenAgentUpdatesAreGeneratedForgedOrMalformed() throws Exception {
        // A real job to aim forged messages at: a build waiting for an agent that never comes.
        assertEquals(202, cloud.push(BenchCloud.newCommit()).statusCode());
        String buildId = cloud.admin("/api/v1/builds?limit=1").path("builds").path(0).path("id").asText();
        JsonNode job = awaitJob(buildId);
        String valid = JSON.createObjectNode().put("type", "started").put("jobId", job.path("id").asText()).put("agentId", UUID.randomUUID().toString())
                .put("attempt", 1).put("seq", 0).put("sentAt", Instant.now().toString()).put("startedAt", Instant.now().toString()).toString();
        String queue = cloud.cloud.queueUrl(Topology.AGENT_UPDATES_QUEUE);
        Map<String, Map<String, AttributeValue>> before = stateWithoutRejections();
        List<String> sent = new ArrayList<>();
        qt().withFixedSeed(SEED + 2).withExamples(EXAMPLES).withShrinkCycles(0)
                .forAll(integers().between(0, 7), integers().between(0, 3), texts())
                .checkAssert((kind, signing, text) -> {
                    // SQS refuses bodies with control characters and over 256 KB, so the body is re-encoded as JSON text
                    // where needed and the oversized shape stays under the limit: these reach job-updater.
                    String body = sqsText(mangle(kind, valid, text, 200_000));
                    String now = Instant.now().toString();
                    Map<String, MessageAttributeValue> attributes = new HashMap<>();
                    switch (signing) {
                        case 0 -> { }                                                                                                  // unsigned
                        case 1 -> attributes.put("hybridci-timestamp", string(text.isBlank() ? "yesterday" : sqsText(text))); // bad time
                        default -> {                                                                                                   // forged
                            attributes.put("hybridci-timestamp", string(now));
                            attributes.put("hybridci-signature", string(ProtocolAgent.hmacHex("not-the-agents-key" + text, now + "\n" + body)));
                        }
                    }
                    String message = body;
                    sent.add(cloud.cloud.clients().sqs().sendMessage(r -> r.queueUrl(queue).messageBody(message).messageGroupId("fuzz-" + sent.size())
                            .messageDeduplicationId(UUID.randomUUID().toString()).messageAttributes(attributes)).messageId());
                });
        awaitDrained(queue);
        List<String> unrecorded = sent.stream().filter(id -> cloud.cloud.clients().dynamoDb().getItem(r -> r
                .tableName(cloud.cloud.topology().table(Topology.STATE_TABLE).name()).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("REJECTION#" + id), "sk", AttributeValue.fromS("REJECTION")))).item().isEmpty()).toList();
        assertEquals(List.of(), unrecorded, "agent messages that were not rejected and recorded, of " + sent.size());
        assertEquals(List.of(), differences(before, stateWithoutRejections()), "a forged or malformed agent message changed the state table");
        // Each kept in agent-updates-dlq by job-updater, exactly once, and nothing else there: none failed its batch
        // five times into the DLQ by redrive (that copy would lack the rejection's attributes).
        String dlq = cloud.cloud.queueUrl(Topology.dlqName(Topology.AGENT_UPDATES_QUEUE));
        List<String> kept = QueueReader.readToEnd(cloud.cloud.clients().sqs(), dlq).stream()
                .map(m -> m.messageAttributes().containsKey("hybridci-rejected-message-id")
                        ? m.messageAttributes().get("hybridci-rejected-message-id").stringValue()
                        : "(no rejection attributes) " + m.messageId())
                .toList();
        assertEquals(sent.stream().sorted().toList(), kept.stream().sorted().toList(),
                "every rejected agent message kept once in agent-updates-dlq, and nothing else in it");
    }

    private static String readPush() {
        try (var in = BenchCloud.class.getResourceAsStream("/bench-push.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * SQS refuses a body with characters outside #x9 #xA #xD #x20–#xD7FF #xE000–#xFFFD, and an empty one: those are
     * written as {@code \\uXXXX} text (an escape inside a JSON string, garbage elsewhere), so every example reaches
     * job-updater.
     */
    private static String sqsText(String body) {
        if (body.isEmpty()) return "\"\"";
        StringBuilder text = new StringBuilder(body.length());
        body.chars().forEach(c -> {
            boolean allowed = c == 0x9 || c == 0xA || c == 0xD || c >= 0x20 && c < 0xD800 || c >= 0xE000 && c <= 0xFFFD;
            if (allowed) text.append((char) c);
            else text.append(String.format("\\u%04x", c));
        });
        return text.toString();
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private static JsonNode awaitJob(String buildId) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            JsonNode build = cloud.admin("/api/v1/builds/" + buildId);
            // Settled: QUEUED and dispatched, so no write of the control plane's own is still on its way.
            if (build != null && build.path("jobs").size() > 0 && "QUEUED".equals(build.path("jobs").path(0).path("state").asText())
                    && cloud.cloud.streamPosition("state-reactor").isPresent() && dispatched(build.path("jobs").path(0).path("id").asText())) {
                Thread.sleep(1_000);
                return build.path("jobs").path(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the build's bootstrap job was never QUEUED: " + cloud.admin("/api/v1/builds/" + buildId));
    }

    private static boolean dispatched(String jobId) {
        return stateWithoutRejections().values().stream().anyMatch(item -> item.get("pk").s().equals("JOB#" + jobId)
                && item.containsKey("dispatchedAt"));
    }

    /** The keys whose items differ between two snapshots, with both versions. */
    private static List<String> differences(Map<String, Map<String, AttributeValue>> before, Map<String, Map<String, AttributeValue>> after) {
        java.util.Set<String> keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        return keys.stream().filter(k -> !java.util.Objects.equals(before.get(k), after.get(k)))
                .map(k -> k + ": " + before.get(k) + " → " + after.get(k)).toList();
    }

    private static void awaitDrained(String queue) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < end) {
            Map<String, String> counts = cloud.cloud.clients().sqs().getQueueAttributes(r -> r.queueUrl(queue)
                    .attributeNamesWithStrings("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
            if ("0".equals(counts.get("ApproximateNumberOfMessages")) && "0".equals(counts.get("ApproximateNumberOfMessagesNotVisible"))) return;
            Thread.sleep(200);
        }
        throw new AssertionError("job-updater did not drain agent-updates in 120 s");
    }
}
