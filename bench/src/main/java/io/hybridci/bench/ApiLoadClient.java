package io.hybridci.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The second process of {@code ./hybridci bench apiload}: offers a fixed rate of requests to the user API
 * ({@code /api/v1}) and the agent routes ({@code /agent/v1}) of a running local cloud over loopback, and
 * prints one JSON object with what each route answered.
 *
 * <p>Open loop: request {@code i} is due at {@code start + i / rate}, and its latency is measured from
 * that due time, not from when it was sent, so a slow server shows as latency rather than silently lowering
 * the rate (coordinated omission). At most {@link #MAX_IN_FLIGHT} requests are outstanding: past that the
 * client is the bottleneck, which the output says ({@code lateStarts}).
 *
 * <p>Bounded in count and time: {@code seconds × rate} requests, and nothing is waited for beyond
 * {@code seconds + 30 s}. The tokens come through the environment so they do not show in {@code ps}.
 *
 * <pre>java -cp … io.hybridci.bench.ApiLoadClient BASE_URL SECONDS RATE</pre>
 * with {@code HYBRIDCI_ADMIN_TOKEN} and {@code HYBRIDCI_REGISTRATION_TOKEN} set.
 */
public final class ApiLoadClient {

    static final int MAX_IN_FLIGHT = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One kind of request of the mix, sent in turn; each send takes the next of {@code tokens} (the agents'
     * sessions take turns, as many agents each pinging now and then do).
     */
    private record Route(String name, String method, String path, List<String> tokens, String body) {
        String token(long send) {
            return tokens.get((int) (send % tokens.size()));
        }
    }

    /** One agent per this many requests a second: each pings about once a second or less, as a real agent's 10 s is. */
    static final int REQUESTS_PER_SECOND_PER_AGENT = 5;

    private record Outcome(String route, double millis, int status, String error) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ApiLoadClient BASE_URL SECONDS RATE (tokens in HYBRIDCI_ADMIN_TOKEN, HYBRIDCI_REGISTRATION_TOKEN)");
            System.exit(2);
        }
        String baseUrl = args[0];
        int seconds = Integer.parseInt(args[1]);
        int rate = Integer.parseInt(args[2]);
        String adminToken = requiredEnv("HYBRIDCI_ADMIN_TOKEN");
        String registrationToken = requiredEnv("HYBRIDCI_REGISTRATION_TOKEN");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        // The agent routes need sessions: this process registers agents of its own, as agents would.
        int agentCount = Math.clamp(rate / REQUESTS_PER_SECOND_PER_AGENT, 1, 50);
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < agentCount; i++) {
            sessions.add(register(http, baseUrl, registrationToken, "apiload-" + i));
        }
        String buildId = firstBuild(http, baseUrl, adminToken);

        List<Route> mix = List.of(
                new Route("GET /api/v1/builds", "GET", "/api/v1/builds?limit=20", List.of(adminToken), null),
                new Route("GET /api/v1/builds/{id}", "GET", "/api/v1/builds/" + buildId, List.of(adminToken), null),
                new Route("GET /api/v1/agents", "GET", "/api/v1/agents", List.of(adminToken), null),
                new Route("GET /api/v1/metrics", "GET", "/api/v1/metrics", List.of(adminToken), null),
                new Route("POST /agent/v1/ping", "POST", "/agent/v1/ping", sessions, "{\"jobId\":null}"));

        Map<String, Object> result = offer(http, baseUrl, mix, seconds, rate);
        result.put("agents", agentCount);
        for (String session : sessions) {
            http.send(request(baseUrl, "POST", "/agent/v1/disconnect", session, "{}"), HttpResponse.BodyHandlers.discarding());
        }
        System.out.println(JSON.writeValueAsString(result));
        System.exit(0);
    }

    private static Map<String, Object> offer(HttpClient http, String baseUrl, List<Route> mix, int seconds, int rate)
            throws InterruptedException {
        long total = (long) seconds * rate;
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicLong lateStarts = new AtomicLong();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            if (!inFlight.tryAcquire()) {
                lateStarts.incrementAndGet();
                inFlight.acquire();
            }
            Route route = mix.get((int) (i % mix.size()));
            pending.add(http.sendAsync(request(baseUrl, route.method(), route.path(), route.token(i / mix.size()), route.body()),
                            HttpResponse.BodyHandlers.discarding())
                    .orTimeout(30, TimeUnit.SECONDS)
                    .handle((response, failure) -> {
                        double millis = (System.nanoTime() - due) / 1e6;
                        outcomes.add(failure != null
                                ? new Outcome(route.name(), millis, 0, failure.getClass().getSimpleName())
                                : new Outcome(route.name(), millis, response.statusCode(), null));
                        inFlight.release();
                        return null;
                    }));
        }
        long offeredNanos = System.nanoTime() - start;
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(seconds + 30L, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Counted below: a request that never answered is missing from the outcomes.
        }
        long elapsedNanos = System.nanoTime() - start;

        Map<String, List<Outcome>> byRoute = new ConcurrentHashMap<>();
        outcomes.forEach(outcome -> byRoute.computeIfAbsent(outcome.route(), key -> new ArrayList<>()).add(outcome));
        Map<String, Object> routes = new LinkedHashMap<>();
        long errors = 0;
        for (Route route : mix) {
            List<Outcome> answered = byRoute.getOrDefault(route.name(), List.of());
            Map<String, Integer> statuses = new java.util.TreeMap<>();
            long routeErrors = 0;
            for (Outcome outcome : answered) {
                String key = outcome.error() != null ? outcome.error() : String.valueOf(outcome.status());
                statuses.merge(key, 1, Integer::sum);
                if (outcome.error() != null || outcome.status() >= 400) routeErrors++;
            }
            errors += routeErrors;
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("requests", answered.size());
            figures.put("errors", routeErrors);
            figures.put("statuses", statuses);
            figures.put("latencyMillis", Stats.of(answered.stream().map(Outcome::millis).toList()));
            routes.put(route.name(), figures);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("offeredRequests", total);
        result.put("offeredPerSecond", rate);
        result.put("answered", outcomes.size());
        result.put("unanswered", total - outcomes.size());
        result.put("errors", errors);
        result.put("achievedPerSecond", Stats.round(outcomes.size() / (elapsedNanos / 1e9)));
        result.put("offerSeconds", Stats.round(offeredNanos / 1e9));
        result.put("lateStarts", lateStarts.get());
        result.put("latencyMillis", Stats.of(outcomes.stream().map(Outcome::millis).toList()));
        result.put("routes", routes);
        return result;
    }

    /** Registers an agent on queue {@code default}; returns its session token. */
    private static String register(HttpClient http, String baseUrl, String registrationToken, String name) throws Exception {
        HttpResponse<String> registered = http.send(request(baseUrl, "POST", "/agent/v1/register", registrationToken,
                "{\"name\":\"" + name + "\",\"queues\":[\"default\"],\"version\":\"0.1.0\",\"hostname\":\"" + name
                        + "\",\"os\":\"linux\",\"arch\":\"amd64\"}"), HttpResponse.BodyHandlers.ofString());
        if (registered.statusCode() != 201) {
            throw new IllegalStateException("register answered " + registered.statusCode() + ": " + registered.body());
        }
        return JSON.readTree(registered.body()).path("sessionToken").asText();
    }

    /** The id of a build to read over and over; the seeded pushes become builds asynchronously, so wait for one. */
    private static String firstBuild(HttpClient http, String baseUrl, String adminToken) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            JsonNode builds = JSON.readTree(http.send(request(baseUrl, "GET", "/api/v1/builds?limit=1", adminToken, null),
                    HttpResponse.BodyHandlers.ofString()).body()).path("builds");
            if (!builds.isEmpty()) return builds.path(0).path("id").asText();
            Thread.sleep(100);
        }
        throw new IllegalStateException("no build to read within 30 s: the seeded pushes did not become builds");
    }

    private static HttpRequest request(String baseUrl, String method, String path, String token, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + token);
        if (body != null) builder.header("content-type", "application/json");
        return builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String requiredEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) throw new IllegalStateException(name + " is not set");
        return value;
    }

    private ApiLoadClient() {
    }
}
