package io.hybridci.bench;

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
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An in-process agent that speaks the real protocol (docs/agent-protocol.md) over HTTP and SQS, but runs
 * nothing slower than {@code true}: {@code register}, long-poll the job queue, {@code accept}, signed
 * {@code started}/{@code finished} on the FIFO updates queue, and for a bootstrap job the pipeline upload
 * with a fixed one-step pipeline instead of a git checkout.
 *
 * <p>Why not the reference agent's processes: the yardstick was measured with no checkout and a {@code true}
 * step, and the benchmarks measure the control plane; a real agent adds a git clone and a JVM per agent on
 * a 2-core machine, which would measure the agent and starve the control plane of CPU.
 */
final class ProtocolAgent implements AutoCloseable {

    /** The pipeline every bootstrap job uploads: one command step running {@code true}. */
    static final String ONE_STEP_PIPELINE = "steps:\n  - key: t\n    command: \"true\"\n";

    /** What an agent tells the benchmark, with {@link System#nanoTime()} stamps. */
    interface Observer {
        void dispatchSeen(String buildId, String jobId, long nanos);

        void started(String buildId, String jobId, String kind, long nanos);

        void finished(String buildId, String jobId, String kind, long nanos);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String sessionToken;
    private final String signingKey;
    private final String agentId;
    private final String jobQueueUrl;
    private final String updatesQueueUrl;
    private final SqsClient sqs;
    private final Observer observer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread worker;
    private final int pollWaitSeconds;
    /** Accepts answered 409 "already holds" because the previous job's 'finished' was not applied yet; all agents. */
    static final java.util.concurrent.atomic.AtomicLong conflictRetries = new java.util.concurrent.atomic.AtomicLong();

    private ProtocolAgent(String baseUrl, JsonNode registration, Observer observer, int pollWaitSeconds, String name) {
        this.baseUrl = baseUrl;
        this.agentId = registration.path("agentId").asText();
        this.sessionToken = registration.path("sessionToken").asText();
        this.signingKey = registration.path("signingKey").asText();
        this.jobQueueUrl = registration.path("queues").path(0).path("url").asText();
        this.updatesQueueUrl = registration.path("agentUpdatesQueueUrl").asText();
        this.sqs = LocalAws.pointAt(SqsClient.builder(), URI.create(registration.path("sqsEndpoint").asText())).build();
        this.observer = observer;
        this.pollWaitSeconds = pollWaitSeconds;
        this.worker = Thread.ofPlatform().name("bench-agent-" + name).daemon().unstarted(this::pollLoop);
    }

    /** Registers on queue {@code default} and starts polling. */
    static ProtocolAgent start(String baseUrl, String registrationToken, String name, Observer observer, int pollWaitSeconds) {
        HttpResponse<String> response = http(baseUrl, "POST", "/agent/v1/register", registrationToken,
                "{\"name\":\"" + name + "\",\"queues\":[\"default\"],\"version\":\"0.1.0\",\"hostname\":\"" + name
                        + "\",\"os\":\"linux\",\"arch\":\"amd64\"}");
        if (response.statusCode() != 201) throw new IllegalStateException("register answered " + response.statusCode() + ": " + response.body());
        ProtocolAgent agent = new ProtocolAgent(baseUrl, parse(response.body()), observer, pollWaitSeconds, name);
        agent.worker.start();
        return agent;
    }

    /** One heartbeat, as an idle agent sends every 10 s. */
    int ping() {
        return http(baseUrl, "POST", "/agent/v1/ping", sessionToken, "{\"jobId\":null}").statusCode();
    }

    private void pollLoop() {
        while (running.get()) {
            try {
                for (Message message : sqs.receiveMessage(r -> r.queueUrl(jobQueueUrl).maxNumberOfMessages(1)
                        .waitTimeSeconds(pollWaitSeconds)).messages()) {
                    long seen = System.nanoTime();
                    JsonNode dispatch = parse(message.body());
                    observer.dispatchSeen(dispatch.path("buildId").asText(), dispatch.path("jobId").asText(), seen);
                    run(dispatch.path("jobId").asText());
                    sqs.deleteMessage(r -> r.queueUrl(jobQueueUrl).receiptHandle(message.receiptHandle()));
                }
            } catch (RuntimeException e) {
                if (running.get()) System.err.println("bench agent " + agentId + ": " + e);
            }
        }
    }

    private void run(String jobId) {
        HttpResponse<String> accepted = http(baseUrl, "POST", "/agent/v1/jobs/" + jobId + "/accept", sessionToken, "{}");
        // Right after 'finished' the control plane may not have applied it yet (job-updater reads the FIFO queue
        // asynchronously), so the agent still "holds" its last job and accept answers 409. Retrying for a while
        // measures that lag; dropping the dispatch, as on any other 409, would leave the job to the reaper.
        for (int retry = 0; accepted.statusCode() == 409 && accepted.body().contains("already holds") && retry < 400; retry++) {
            conflictRetries.incrementAndGet();
            // Back off (5, 10, 20, 40, then 50 ms): a tight loop of accepts from several agents would itself
            // take the CPU that job-updater needs to apply the finish being waited for.
            sleepQuietly(Math.min(50, 5L << Math.min(retry, 4)));
            accepted = http(baseUrl, "POST", "/agent/v1/jobs/" + jobId + "/accept", sessionToken, "{}");
        }
        if (accepted.statusCode() != 200) {
            System.err.println("bench agent: accept of " + jobId + " answered " + accepted.statusCode() + ": " + accepted.body());
            return; // 409: another agent won or the job moved on; the message is deleted.
        }
        JsonNode job = parse(accepted.body()).path("job");
        String buildId = job.path("buildId").asText();
        String kind = job.path("kind").asText();
        int attempt = job.path("attempt").asInt(1);
        send(message("started", jobId, attempt, 0).put("startedAt", Instant.now().toString()));
        observer.started(buildId, jobId, kind, System.nanoTime());
        int exit;
        if ("BOOTSTRAP".equals(kind)) {
            HttpResponse<String> uploaded = http(baseUrl, "POST", "/agent/v1/jobs/" + jobId + "/pipeline", sessionToken,
                    JSON.createObjectNode().put("pipeline", ONE_STEP_PIPELINE).toString());
            exit = uploaded.statusCode() == 200 ? 0 : 1;
        } else {
            exit = runTrue();
        }
        ObjectNode finished = message("finished", jobId, attempt, 1).put("exitStatus", exit).put("finishedAt", Instant.now().toString());
        finished.putNull("signal");
        send(finished);
        observer.finished(buildId, jobId, kind, System.nanoTime());
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The step's command, really run: one fork and exec of {@code true}, as any agent would. */
    private static int runTrue() {
        try {
            return new ProcessBuilder("true").redirectErrorStream(true).start().waitFor();
        } catch (IOException e) {
            return 127;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    private ObjectNode message(String type, String jobId, int attempt, long seq) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", type).put("jobId", jobId).put("agentId", agentId).put("attempt", attempt).put("seq", seq)
                .put("sentAt", Instant.now().toString());
        return body;
    }

    /** Signed as the protocol says: HMAC-SHA256(key, timestamp + "\n" + body); group = job, dedup = job-seq. */
    private void send(ObjectNode body) {
        String text = body.toString();
        String timestamp = Instant.now().toString();
        String signature = hmacHex(signingKey, timestamp + "\n" + text);
        String jobId = body.path("jobId").asText();
        sqs.sendMessage(r -> r.queueUrl(updatesQueueUrl).messageBody(text).messageGroupId(jobId)
                .messageDeduplicationId(jobId + "-" + body.path("seq").asLong())
                .messageAttributes(Map.of(
                        "hybridci-timestamp", MessageAttributeValue.builder().dataType("String").stringValue(timestamp).build(),
                        "hybridci-signature", MessageAttributeValue.builder().dataType("String").stringValue(signature).build())));
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
            throw new java.io.UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    @Override
    public void close() {
        running.set(false);
        try {
            worker.join(Duration.ofSeconds(pollWaitSeconds + 5L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http(baseUrl, "POST", "/agent/v1/disconnect", sessionToken, "{}");
        sqs.close();
    }
}
