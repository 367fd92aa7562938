package io.hybridci.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.local.engine.LocalAws;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * Test code that speaks the agent protocol (docs/agent-protocol.md) the way a real agent does: HTTP
 * {@code register} and {@code accept} with java.net.http, long polls on the job queue URL that
 * {@code register} returned, and signed {@code started}/{@code log}/{@code finished} messages to the FIFO
 * queue with group = job id and dedup id = job id + seq. The HMAC is computed here, not with core's
 * helper, so a drift between the protocol document and the code fails a test.
 */
final class ScriptedAgent implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final String baseUrl;
    final String agentId;
    final String sessionToken;
    final String signingKey;
    final String jobQueueUrl;
    final String updatesQueueUrl;
    private final SqsClient sqs;
    private final Clock clock;

    private ScriptedAgent(String baseUrl, JsonNode registration, Clock clock) {
        this.baseUrl = baseUrl;
        this.agentId = registration.path("agentId").asText();
        this.sessionToken = registration.path("sessionToken").asText();
        this.signingKey = registration.path("signingKey").asText();
        this.jobQueueUrl = registration.path("queues").path(0).path("url").asText();
        this.updatesQueueUrl = registration.path("agentUpdatesQueueUrl").asText();
        this.sqs = LocalAws.pointAt(SqsClient.builder(), URI.create(registration.path("sqsEndpoint").asText())).build();
        this.clock = clock;
    }

    /** Registers on queue {@code default} with the registration token; fails the test unless 201. */
    static ScriptedAgent register(String baseUrl, String registrationToken, String name, Clock clock) {
        HttpResponse<String> response = http(baseUrl, "POST", "/agent/v1/register", registrationToken,
                "{\"name\":\"" + name + "\",\"queues\":[\"default\"],\"version\":\"0.1.0\",\"hostname\":\"" + name
                        + "\",\"os\":\"linux\",\"arch\":\"amd64\"}");
        if (response.statusCode() != 201) throw new AssertionError("register answered " + response.statusCode() + ": " + response.body());
        return new ScriptedAgent(baseUrl, parse(response.body()), clock);
    }

    /**
     * Long-polls the job queue until the dispatch of {@code jobId} arrives (others' dispatches are made
     * visible again at once), deletes it and returns its body.
     */
    JsonNode receiveDispatch(String jobId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Message message : sqs.receiveMessage(r -> r.queueUrl(jobQueueUrl).maxNumberOfMessages(10).waitTimeSeconds(2)).messages()) {
                JsonNode body = parse(message.body());
                if (body.path("jobId").asText().equals(jobId)) {
                    sqs.deleteMessage(r -> r.queueUrl(jobQueueUrl).receiptHandle(message.receiptHandle()));
                    return body;
                }
                sqs.changeMessageVisibility(r -> r.queueUrl(jobQueueUrl).receiptHandle(message.receiptHandle()).visibilityTimeout(0));
            }
        }
        throw new AssertionError("no dispatch of job " + jobId + " on " + jobQueueUrl + " within " + timeout);
    }

    HttpResponse<String> accept(String jobId) {
        return http(baseUrl, "POST", "/agent/v1/jobs/" + jobId + "/accept", sessionToken, "{}");
    }

    /** Uploads {@code yaml} as the pipeline of bootstrap job {@code jobId}, as an agent does after its checkout. */
    HttpResponse<String> uploadPipeline(String jobId, String yaml) {
        return http(baseUrl, "POST", "/agent/v1/jobs/" + jobId + "/pipeline", sessionToken,
                JSON.createObjectNode().put("pipeline", yaml).toString());
    }

    HttpResponse<String> ping() {
        return http(baseUrl, "POST", "/agent/v1/ping", sessionToken, "{\"jobId\":null}");
    }

    /** A message body of {@code type} with the fields every agent message carries. */
    ObjectNode message(String type, String jobId, int attempt, long seq) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", type).put("jobId", jobId).put("agentId", agentId).put("attempt", attempt).put("seq", seq)
                .put("sentAt", clock.instant().toString());
        return body;
    }

    ObjectNode started(String jobId, int attempt, long seq) {
        return message("started", jobId, attempt, seq).put("startedAt", clock.instant().toString());
    }

    ObjectNode log(String jobId, int attempt, long seq, String chunk, long offset) {
        return message("log", jobId, attempt, seq).put("chunk", chunk).put("offset", offset);
    }

    ObjectNode finished(String jobId, int attempt, long seq, int exitStatus) {
        ObjectNode body = message("finished", jobId, attempt, seq).put("exitStatus", exitStatus)
                .put("finishedAt", clock.instant().toString());
        body.putNull("signal");
        return body;
    }

    /** Sends {@code body} signed with this agent's key; dedup id = job id + "-" + seq, as the protocol says. */
    void send(ObjectNode body) {
        send(body, signingKey, body.path("jobId").asText() + "-" + body.path("seq").asLong());
    }

    /** Sends with an explicit key and dedup id (forgeries, redeliveries). */
    void send(ObjectNode body, String key, String deduplicationId) {
        String text = body.toString();
        String timestamp = clock.instant().toString();
        String signature = hmacHex(key, timestamp + "\n" + text);
        sqs.sendMessage(r -> r.queueUrl(updatesQueueUrl).messageBody(text)
                .messageGroupId(body.path("jobId").asText()).messageDeduplicationId(deduplicationId)
                .messageAttributes(Map.of(
                        "hybridci-timestamp", MessageAttributeValue.builder().dataType("String").stringValue(timestamp).build(),
                        "hybridci-signature", MessageAttributeValue.builder().dataType("String").stringValue(signature).build())));
    }

    /** GitHub's X-Hub-Signature-256 value without its prefix: hex HMAC-SHA256 of the raw body. */
    static String hmacHexBytes(String key, String body) {
        return hmacHex(key, body);
    }

    static String hmacHex(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> http(String baseUrl, String method, String path, String bearer, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (bearer != null) request.header("Authorization", "Bearer " + bearer);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    @Override
    public void close() {
        sqs.close();
    }
}
