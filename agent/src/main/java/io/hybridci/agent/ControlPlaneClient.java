package io.hybridci.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.security.Secret;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The agent's side of the HTTP protocol ({@code /agent/v1}, docs/agent-protocol.md) over
 * {@code java.net.http}: one client per process, explicit timeouts, JSON by Jackson's tree model.
 *
 * <p>Every call either returns a typed answer or throws {@link ControlPlaneException}, which says
 * whether retrying can help; backoff is the caller's business, so each call stays one request.
 */
public final class ControlPlaneClient {

    /** The agent's protocol version, sent at register. */
    public static final String AGENT_VERSION = "0.1.0";

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;
    private final ObjectMapper json;

    public ControlPlaneClient(URI base, HttpClient http, ObjectMapper json) {
        this.base = Objects.requireNonNull(base, "base");
        this.http = Objects.requireNonNull(http, "http");
        this.json = Objects.requireNonNull(json, "json");
    }

    public static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** {@code POST /agent/v1/register} with the registration token. */
    public Registration register(Secret registrationToken, String name, List<String> queues, String hostname)
            throws ControlPlaneException {
        ObjectNode body = json.createObjectNode();
        body.put("name", name);
        queues.forEach(body.putArray("queues")::add);
        body.put("version", AGENT_VERSION);
        body.put("hostname", hostname);
        body.put("os", System.getProperty("os.name", "linux").toLowerCase(java.util.Locale.ROOT));
        body.put("arch", arch());
        Reply reply = post("/agent/v1/register", registrationToken, body);
        if (reply.status() != 201 && reply.status() != 200) {
            throw unexpected("register", reply);
        }
        JsonNode r = reply.body();
        Map<String, String> queueUrls = new LinkedHashMap<>();
        List<String> priorityQueueUrls = new ArrayList<>();
        for (JsonNode queue : r.path("queues")) {
            String url = queue.path("url").asText();
            queueUrls.put(queue.path("name").asText(), url);
            // `urls` lists the queue's SQS queues highest priority first; every one before `url` outranks it.
            for (JsonNode ranked : queue.path("urls")) {
                if (ranked.asText().equals(url)) {
                    break;
                }
                priorityQueueUrls.add(ranked.asText());
            }
        }
        Session session = new Session(required(r, "agentId"), Secret.of(required(r, "sessionToken")),
                Secret.of(required(r, "signingKey")));
        return new Registration(session, queueUrls, required(r, "agentUpdatesQueueUrl"),
                r.path("region").asText("us-east-1"), textOrNull(r, "sqsEndpoint"),
                r.path("pingIntervalSeconds").asInt(10), r.path("jobPollWaitSeconds").asInt(20), priorityQueueUrls);
    }

    /** {@code POST /agent/v1/ping}: the heartbeat; returns the directives and the next interval. */
    public PingReply ping(Session session, String currentJobId) throws ControlPlaneException {
        ObjectNode body = json.createObjectNode();
        if (currentJobId == null) {
            body.putNull("jobId");
        } else {
            body.put("jobId", currentJobId);
        }
        Reply reply = post("/agent/v1/ping", session.token(), body);
        if (reply.status() != 200) {
            throw unexpected("ping", reply);
        }
        List<Directive> directives = new ArrayList<>();
        for (JsonNode d : reply.body().path("directives")) {
            switch (d.path("type").asText()) {
                case "cancel" -> directives.add(new Directive.Cancel(d.path("jobId").asText()));
                case "drain" -> directives.add(new Directive.Drain());
                case "pause" -> directives.add(new Directive.Pause());
                case "session" -> directives.add(new Directive.NewSession(new Session(session.agentId(),
                        Secret.of(required(d, "sessionToken")), Secret.of(required(d, "signingKey")))));
                default -> { } // a newer control plane's directive: ignoring it is the compatible choice
            }
        }
        return new PingReply(List.copyOf(directives), reply.body().path("pingIntervalSeconds").asInt(0));
    }

    /** {@code POST /agent/v1/jobs/{id}/accept}. */
    public Acceptance accept(Session session, String jobId) throws ControlPlaneException {
        Reply reply = post("/agent/v1/jobs/" + encode(jobId) + "/accept", session.token(), json.createObjectNode());
        return switch (reply.status()) {
            case 200 -> new Acceptance.Accepted(jobSpec(reply.body().path("job")));
            case 409 -> new Acceptance.Conflict(reply.body().path("message").asText("conflict"));
            case 404 -> new Acceptance.NotFound();
            default -> throw unexpected("accept", reply);
        };
    }

    /** {@code POST /agent/v1/jobs/{id}/pipeline} with the raw text of {@code .hybridci/pipeline.yml}. */
    public PipelineUploadResult uploadPipeline(Session session, String jobId, String pipelineText)
            throws ControlPlaneException {
        ObjectNode body = json.createObjectNode();
        body.put("pipeline", pipelineText);
        Reply reply = post("/agent/v1/jobs/" + encode(jobId) + "/pipeline", session.token(), body);
        return switch (reply.status()) {
            case 200, 201 -> new PipelineUploadResult.Uploaded(reply.body().path("steps").asInt());
            case 422 -> {
                List<String> errors = new ArrayList<>();
                reply.body().path("errors").forEach(e -> errors.add(e.asText()));
                yield new PipelineUploadResult.Invalid(reply.body().path("message").asText("invalid pipeline"), errors);
            }
            default -> {
                if (reply.status() >= 500 || reply.status() == 429 || reply.status() == 401) {
                    throw unexpected("pipeline upload", reply);
                }
                yield new PipelineUploadResult.Refused(reply.status(), describe(reply));
            }
        };
    }

    /** {@code POST /agent/v1/disconnect}: the session stops working at once. */
    public void disconnect(Session session) throws ControlPlaneException {
        Reply reply = post("/agent/v1/disconnect", session.token(), json.createObjectNode());
        if (reply.status() != 204 && reply.status() != 200) {
            throw unexpected("disconnect", reply);
        }
    }

    /** The answer to a ping. {@code pingIntervalSeconds} is 0 when the server did not say. */
    public record PingReply(List<Directive> directives, int pingIntervalSeconds) {}

    /** The answer to {@code accept}. */
    public sealed interface Acceptance {
        record Accepted(JobSpec job) implements Acceptance {}

        /** Another agent won, or the job is no longer QUEUED. */
        record Conflict(String message) implements Acceptance {}

        record NotFound() implements Acceptance {}
    }

    /** The answer to a pipeline upload. */
    public sealed interface PipelineUploadResult {
        record Uploaded(int steps) implements PipelineUploadResult {}

        /** The control plane's parser found mistakes, one line each. */
        record Invalid(String message, List<String> errors) implements PipelineUploadResult {}

        /** Any other client error (not a bootstrap job, not held any more…). */
        record Refused(int status, String message) implements PipelineUploadResult {}
    }

    JobSpec jobSpec(JsonNode j) throws ControlPlaneException {
        Map<String, String> env = new LinkedHashMap<>();
        j.path("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        JsonNode repo = j.path("repository");
        JobSpec.Kind kind;
        try {
            kind = JobSpec.Kind.valueOf(j.path("kind").asText("COMMAND"));
        } catch (IllegalArgumentException e) {
            throw new ControlPlaneException("accept: unknown job kind " + j.path("kind"), 200, false, e);
        }
        return new JobSpec(required(j, "id"), textOrNull(j, "buildId"), textOrNull(j, "key"), textOrNull(j, "label"),
                j.path("attempt").asInt(1), kind, textOrNull(j, "command"), env,
                j.hasNonNull("timeoutInMinutes") ? j.get("timeoutInMinutes").asInt() : null,
                textOrNull(repo, "fullName"), textOrNull(repo, "cloneUrl"), textOrNull(j, "commit"),
                textOrNull(j, "branch"), textOrNull(j, "tag"), deploy(j.path("deploy")));
    }

    private static JobSpec.Deploy deploy(JsonNode deploy) {
        if (!deploy.isObject()) {
            return null;
        }
        return new JobSpec.Deploy(textOrNull(deploy, "environment"), textOrNull(deploy, "strategy"),
                textOrNull(deploy, "healthCheck"), textOrNull(deploy, "switch"), textOrNull(deploy, "rollback"));
    }

    private record Reply(int status, JsonNode body) {}

    private Reply post(String path, Secret bearer, JsonNode body) throws ControlPlaneException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + bearer.reveal())
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ControlPlaneException("POST " + path + ": " + e, 0, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlPlaneException("POST " + path + ": interrupted", 0, false, e);
        }
        JsonNode parsed;
        try {
            String text = response.body();
            parsed = text == null || text.isBlank() ? json.createObjectNode() : json.readTree(text);
        } catch (IOException e) {
            // A proxy's HTML error page, say: keep the status, which decides what happens next.
            parsed = json.createObjectNode().put("message", abbreviate(response.body()));
        }
        if (response.statusCode() == 401) {
            throw new ControlPlaneException.Unauthorized("POST " + path + ": 401 unauthorized");
        }
        return new Reply(response.statusCode(), parsed);
    }

    private static ControlPlaneException unexpected(String what, Reply reply) {
        boolean retryable = reply.status() >= 500 || reply.status() == 429 || reply.status() == 408;
        return new ControlPlaneException(what + ": " + describe(reply), reply.status(), retryable, null);
    }

    private static String describe(Reply reply) {
        return reply.status() + " " + reply.body().path("error").asText("") + " "
                + reply.body().path("message").asText("");
    }

    private static String required(JsonNode node, String field) throws ControlPlaneException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.asText().isEmpty()) {
            throw new ControlPlaneException("the control plane's answer lacks '" + field + "'", 200, false, null);
        }
        return value.asText();
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private static String arch() {
        String arch = System.getProperty("os.arch", "amd64");
        return arch.equals("x86_64") ? "amd64" : arch.equals("aarch64") ? "arm64" : arch;
    }
}
