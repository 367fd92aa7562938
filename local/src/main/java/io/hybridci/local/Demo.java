package io.hybridci.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.build.BuildIds;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code ./hybridci demo}: against a running {@code ./hybridci up}, commits to a sample repository
 * ({@link DemoRepository}), sends GitHub's signed push webhook for that commit, follows the build through
 * {@code GET /api/v1/builds/{id}} and prints each job's state changes and the result with timings.
 *
 * <p>It talks to the local cloud only the way GitHub and a person do (webhook, admin API), with the secrets
 * {@code up} wrote into the data dir. Exit status 0 when the build PASSED, 1 otherwise, 2 for bad arguments.
 */
public final class Demo {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TERMINAL_BUILD = Set.of("PASSED", "FAILED", "CANCELED");
    private static final Duration POLL_INTERVAL = Duration.ofMillis(150);
    private static final String REPO_FULL_NAME = "hybridci/demo-repo";

    /**
     * The parsed command line.
     *
     * @param url     the running local cloud, {@code http://127.0.0.1:8080} by default
     * @param dataDir the data dir of that cloud ({@code .hybridci/}): secrets are read from it, the repository lives in it
     * @param timeout how long to follow the build before giving up
     */
    public record Options(URI url, Path dataDir, Duration timeout) {

        static final String USAGE = """
                usage: ./hybridci demo [--url URL] [--data DIR] [--timeout SECONDS]

                  --url URL          the running ./hybridci up (default http://127.0.0.1:8080)
                  --data DIR         its data dir, for the webhook secret and admin token (default .hybridci/)
                  --timeout SECONDS  how long to wait for the build (default 300)
                """;

        public static Options parse(List<String> args) {
            URI url = URI.create("http://127.0.0.1:8080");
            Path dataDir = Path.of(".hybridci");
            Duration timeout = Duration.ofMinutes(5);
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "--url" -> url = URI.create(stripSlash(value(args, ++i, arg)));
                    case "--data" -> dataDir = Path.of(value(args, ++i, arg));
                    case "--timeout" -> timeout = Duration.ofSeconds(seconds(value(args, ++i, arg)));
                    default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
                }
            }
            return new Options(url, dataDir.toAbsolutePath().normalize(), timeout);
        }

        private static String value(List<String> args, int index, String option) {
            if (index >= args.size()) throw new IllegalArgumentException(option + " needs a value");
            return args.get(index);
        }

        private static long seconds(String text) {
            try {
                long value = Long.parseLong(text);
                if (value < 1) throw new NumberFormatException();
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--timeout must be a positive number of seconds, was '" + text + "'");
            }
        }

        private static String stripSlash(String url) {
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
    }

    /**
     * How a demo run ended.
     *
     * @param buildId the build the push created
     * @param state   its final state, or {@code TIMED_OUT_WAITING} when it did not end in time
     * @param jobKeys the job keys seen, in the order they first appeared
     */
    public record Result(String buildId, String state, List<String> jobKeys) {
        public boolean passed() {
            return "PASSED".equals(state);
        }
    }

    private final Options options;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Demo(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        Options options;
        try {
            if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
                System.out.print(Options.USAGE);
                return;
            }
            options = Options.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("hybridci demo: " + e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        try {
            Result result = new Demo(options, System.out).run();
            System.exit(result.passed() ? 0 : 1);
        } catch (IllegalStateException | UncheckedIOException e) {
            System.err.println("hybridci demo: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Commits, pushes, follows the build to its end (or the timeout) and prints what happened. */
    public Result run() {
        String webhookSecret = readSecret(LocalCredentials.WEBHOOK_SECRET_FILE);
        String adminToken = readSecret(LocalCredentials.ADMIN_TOKEN_FILE);
        try (DemoRepository repo = DemoRepository.commitAndServe(options.dataDir().resolve(DemoRepository.NAME))) {
            out.printf("demo: committed %s to %s%n", repo.commit().substring(0, 7), repo.dir());
            out.printf("demo: serving it to agents at %s while the build runs%n", repo.cloneUrl());
            String delivery = UUID.randomUUID().toString();
            Instant pushedAt = Instant.now();
            HttpResponse<String> accepted = push(webhookSecret, delivery, repo);
            if (accepted.statusCode() != 202) {
                throw new IllegalStateException("the webhook was refused: HTTP " + accepted.statusCode() + " " + accepted.body());
            }
            // Build ids are derived from the delivery id (BuildIds), so the build can be looked up at once.
            String buildId = BuildIds.of(delivery);
            out.printf("demo: push webhook accepted (delivery %s) -> build %s%n", delivery, buildId);
            out.printf("demo: follow it in the dashboard at %s/ or GET %s/api/v1/builds/%s%n", options.url(), options.url(), buildId);
            return follow(buildId, adminToken, pushedAt);
        }
    }

    private Result follow(String buildId, String adminToken, Instant pushedAt) {
        Map<String, String> lastStates = new LinkedHashMap<>();
        String buildState = null;
        JsonNode build = null;
        Instant deadline = Instant.now().plus(options.timeout());
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = get("/api/v1/builds/" + buildId, adminToken);
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw new IllegalStateException("the admin token in " + options.dataDir().resolve(LocalCredentials.ADMIN_TOKEN_FILE)
                        + " was refused (HTTP " + response.statusCode() + "): is --data the data dir of the cloud at " + options.url() + "?");
            }
            if (response.statusCode() == 200) {
                build = parse(response.body());
                for (JsonNode job : build.path("jobs")) {
                    String name = jobName(job);
                    String state = job.path("state").asText();
                    if (!state.equals(lastStates.put(name, state))) {
                        out.printf("  %7s  %-22s %-9s%s%n", since(pushedAt), name, state, jobDetail(job, state));
                    }
                }
                String state = build.path("state").asText();
                if (!state.equals(buildState)) {
                    buildState = state;
                    out.printf("  %7s  %-22s %s%n", since(pushedAt), "build", state);
                }
                if (TERMINAL_BUILD.contains(state)) {
                    printSummary(build, pushedAt);
                    return new Result(buildId, state, keys(lastStates));
                }
            }
            // 404 until build-planner has written the build: keep polling.
            sleep(POLL_INTERVAL);
        }
        out.printf("demo: the build did not end within %d s (last state %s); is an agent running on queue default?%n",
                options.timeout().toSeconds(), buildState == null ? "not created" : buildState);
        return new Result(buildId, "TIMED_OUT_WAITING", keys(lastStates));
    }

    private void printSummary(JsonNode build, Instant pushedAt) {
        out.printf("demo: build %s %s in %s (webhook to result %s)%n", build.path("id").asText(), build.path("state").asText(),
                between(build.path("createdAt"), build.path("finishedAt")), since(pushedAt));
        for (JsonNode job : build.path("jobs")) {
            out.printf("  %-22s %-9s waited %-8s ran %-8s exit %s%n", jobName(job), job.path("state").asText(),
                    between(job.path("createdAt"), job.path("startedAt")), between(job.path("startedAt"), job.path("finishedAt")),
                    job.path("exitStatus").isNull() ? "-" : job.path("exitStatus").asText());
        }
    }

    private HttpResponse<String> push(String webhookSecret, String delivery, DemoRepository repo) {
        byte[] body = pushPayload(repo).getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(options.url().resolve("/webhooks/github"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("User-Agent", "GitHub-Hookshot/hybridci-demo")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", delivery)
                .header("X-GitHub-Hook-ID", "1")
                .header("X-Hub-Signature-256", "sha256=" + hmacSha256Hex(webhookSecret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return send(request);
    }

    /** GitHub's push payload, with the fields GitHub sends that the intake reads and a few it ignores. */
    static String pushPayload(DemoRepository repo) {
        String now = Instant.now().toString();
        ObjectNode payload = JSON.createObjectNode();
        payload.put("ref", "refs/heads/main").put("before", "0".repeat(40)).put("after", repo.commit())
                .put("created", false).put("deleted", false).put("forced", false)
                .put("compare", "https://github.com/" + REPO_FULL_NAME + "/compare/" + repo.commit());
        ObjectNode repository = payload.putObject("repository");
        repository.put("id", 1).put("name", DemoRepository.NAME).put("full_name", REPO_FULL_NAME).put("private", true)
                .put("html_url", "https://github.com/" + REPO_FULL_NAME).put("clone_url", repo.cloneUrl())
                .put("default_branch", "main").put("master_branch", "main");
        repository.putObject("owner").put("login", "hybridci").put("name", "hybridci");
        payload.putObject("pusher").put("name", "demo").put("email", "demo@example.com");
        payload.putObject("sender").put("login", "demo").put("id", 1).put("type", "User");
        ObjectNode commit = payload.putObject("head_commit");
        commit.put("id", repo.commit()).put("tree_id", repo.commit()).put("distinct", true)
                .put("message", "Demo run").put("timestamp", now)
                .put("url", "https://github.com/" + REPO_FULL_NAME + "/commit/" + repo.commit());
        commit.putObject("author").put("name", "Hybrid CI demo").put("email", "demo@example.com").put("username", "demo");
        commit.putObject("committer").put("name", "Hybrid CI demo").put("email", "demo@example.com").put("username", "demo");
        commit.putArray("added");
        commit.putArray("removed");
        commit.putArray("modified").add("last-run.txt");
        payload.putArray("commits").add(commit.deepCopy());
        return payload.toString();
    }

    static String hmacSha256Hex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private String readSecret(String fileName) {
        Path file = options.dataDir().resolve(fileName);
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": start the local cloud first (./hybridci up"
                    + " in another terminal), or pass --data with its data dir", e);
        }
    }

    private HttpResponse<String> get(String path, String adminToken) {
        return send(HttpRequest.newBuilder(options.url().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the local cloud at " + options.url()
                    + " (is ./hybridci up running? pass --url otherwise): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String jobName(JsonNode job) {
        String key = job.path("key").asText(job.path("kind").asText("job"));
        int attempt = job.path("attempt").asInt(1);
        return attempt > 1 ? key + " (attempt " + attempt + ")" : key;
    }

    private static String jobDetail(JsonNode job, String state) {
        return switch (state) {
            case "RUNNING" -> "  on agent " + job.path("agentId").asText("?");
            case "PASSED", "FAILED", "CANCELED", "TIMED_OUT" -> "  exit " + (job.path("exitStatus").isNull() ? "-"
                    : job.path("exitStatus").asText()) + (job.path("reason").isTextual() ? " (" + job.path("reason").asText() + ")" : "")
                    + ", ran " + between(job.path("startedAt"), job.path("finishedAt"));
            default -> "";
        };
    }

    private static List<String> keys(Map<String, String> states) {
        return List.copyOf(states.keySet());
    }

    private static String since(Instant start) {
        return seconds(Duration.between(start, Instant.now()));
    }

    private static String between(JsonNode from, JsonNode to) {
        if (!from.isTextual() || !to.isTextual()) return "-";
        return seconds(Duration.between(Instant.parse(from.asText()), Instant.parse(to.asText())));
    }

    private static String seconds(Duration duration) {
        return String.format("%.1fs", duration.toMillis() / 1000.0);
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("the API answered with something that is not JSON: " + body, e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
