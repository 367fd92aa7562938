package io.hybridci.core.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A stand-in for GitHub's REST API on 127.0.0.1 (JDK HttpServer) that records every call and checks it
 * the way GitHub would: {@code POST /repos/{owner}/{repo}/statuses/{sha}} with
 * {@code Accept: application/vnd.github+json}, {@code X-GitHub-Api-Version}, a Bearer/token
 * {@code Authorization}, and a JSON body {@code {state, target_url?, description ≤ 140, context}};
 * {@code POST /app/installations/{id}/access_tokens} hands out installation tokens. The base URL has
 * GitHub Enterprise Server's {@code /api/v3} prefix, so tests prove the base is configurable.
 * Shared through core's test-jar with the aws adapter, the github-status handler and local ITs.
 */
public final class RecordingGithubServer implements AutoCloseable {

    /** One request as received; header names lower-cased. */
    public record Call(String method, String path, Map<String, String> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }
    }

    /** A scripted answer to the next request. */
    public record Reply(int status, Map<String, String> headers, String body) {}

    public static final String PREFIX = "/api/v3";
    public static final String INSTALLATION_TOKEN = "ghs_installationtoken0001";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STATUS_PATH =
            Pattern.compile(PREFIX + "/repos/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+/statuses/[0-9a-f]{40}");
    private static final Pattern TOKEN_PATH = Pattern.compile(PREFIX + "/app/installations/[0-9]+/access_tokens");
    private static final Set<String> STATES = Set.of("pending", "success", "failure", "error");
    private static final Set<String> BODY_FIELDS = Set.of("state", "target_url", "description", "context");

    private final HttpServer server;
    private final List<Call> calls = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final Deque<Reply> scripted = new ArrayDeque<>();

    private RecordingGithubServer(HttpServer server) {
        this.server = server;
    }

    public static RecordingGithubServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            RecordingGithubServer github = new RecordingGithubServer(server);
            server.createContext("/", github::handle);
            server.start();
            return github;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the recording GitHub server", e);
        }
    }

    /** What github-status is configured with, e.g. {@code http://127.0.0.1:PORT/api/v3}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PREFIX);
    }

    /** The next requests get these answers, in order; after them every request succeeds. */
    public synchronized void thenReply(Reply... replies) {
        scripted.addAll(List.of(replies));
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The status calls GitHub accepted (201), in order. */
    public synchronized List<Call> acceptedStatuses() {
        return List.copyOf(acceptedStatusCalls);
    }

    /** The {@code state} of each accepted status, in order. */
    public synchronized List<String> acceptedStates() {
        return acceptedStatusCalls.stream().map(call -> call.json().get("state").asText()).toList();
    }

    /** Everything GitHub would have refused; empty when every request was well formed. */
    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    private final List<Call> acceptedStatusCalls = new ArrayList<>();

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.getFirst()));
        Call call = new Call(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body);
        Reply reply;
        synchronized (this) {
            calls.add(call);
            List<String> found = check(call);
            problems.addAll(found);
            Reply next = scripted.poll();
            reply = next != null ? next : found.isEmpty() ? success(call) : new Reply(422, Map.of(),
                    "{\"message\":\"Validation Failed\"}");
            if (reply.status() == 201 && STATUS_PATH.matcher(call.path()).matches()) {
                acceptedStatusCalls.add(call);
            }
        }
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static Reply success(Call call) {
        if (TOKEN_PATH.matcher(call.path()).matches()) {
            return new Reply(201, Map.of(), "{\"token\":\"" + INSTALLATION_TOKEN + "\",\"expires_at\":\""
                    + Instant.now().plusSeconds(3600).toString().replaceAll("\\.\\d+", "") + "\"}");
        }
        return new Reply(201, Map.of(), call.body());
    }

    private static List<String> check(Call call) {
        List<String> found = new ArrayList<>();
        if (!"POST".equals(call.method())) {
            found.add(call.path() + ": method " + call.method() + ", expected POST");
        }
        if (!"application/vnd.github+json".equals(call.headers().get("accept"))) {
            found.add(call.path() + ": Accept is " + call.headers().get("accept"));
        }
        if (!"2022-11-28".equals(call.headers().get("x-github-api-version"))) {
            found.add(call.path() + ": X-GitHub-Api-Version is " + call.headers().get("x-github-api-version"));
        }
        String auth = call.headers().getOrDefault("authorization", "");
        if (!auth.matches("(Bearer|token) \\S+")) {
            found.add(call.path() + ": Authorization is not 'Bearer <token>' or 'token <token>'");
        }
        if (!call.headers().containsKey("user-agent")) {
            found.add(call.path() + ": no User-Agent (GitHub rejects requests without one)");
        }
        if (TOKEN_PATH.matcher(call.path()).matches()) {
            if (!auth.startsWith("Bearer ") || auth.split("\\.").length != 3) {
                found.add(call.path() + ": an installation token is bought with 'Bearer <JWT>'");
            }
            return found;
        }
        if (!STATUS_PATH.matcher(call.path()).matches()) {
            found.add(call.path() + ": not a commit status endpoint");
            return found;
        }
        if (!call.headers().getOrDefault("content-type", "").startsWith("application/json")) {
            found.add(call.path() + ": Content-Type is " + call.headers().get("content-type"));
        }
        JsonNode json;
        try {
            json = JSON.readTree(call.body());
        } catch (IOException e) {
            found.add(call.path() + ": body is not JSON");
            return found;
        }
        json.fieldNames().forEachRemaining(field -> {
            if (!BODY_FIELDS.contains(field)) {
                found.add(call.path() + ": unknown body field " + field);
            }
        });
        if (!json.hasNonNull("state") || !STATES.contains(json.get("state").asText())) {
            found.add(call.path() + ": state is " + json.get("state"));
        }
        if (json.has("description") && json.get("description").asText().length() > 140) {
            found.add(call.path() + ": description longer than 140 characters");
        }
        if (!json.hasNonNull("context") || json.get("context").asText().isBlank()) {
            found.add(call.path() + ": no context");
        }
        if (json.has("target_url") && !json.get("target_url").asText().matches("https?://\\S+")) {
            found.add(call.path() + ": target_url is not a URL");
        }
        return found;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
