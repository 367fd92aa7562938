package io.hybridci.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's command line over {@code /api/v1} (the same API as the dashboard): {@code builds},
 * {@code build ID}, {@code log JOB_ID [--follow]}, {@code agents}, {@code cancel|retry JOB_ID},
 * {@code audit verify}. Readable tables by default, the API's JSON with {@code --json}.
 * Run through the launcher ({@code ./hybridci builds}); written in Java rather than shell because a
 * fresh machine has curl but no jq, and tables need the JSON parsed.
 *
 * <p>The token comes from {@code HYBRIDCI_TOKEN}, else the sign-in {@code ./hybridci login --url URL} keeps for
 * that dashboard (a control plane in AWS: the person's ID token, see {@link UserSignIn}), else
 * {@code <data>/admin-token} (the local cloud, as for {@code ./hybridci secrets}); never from the command line,
 * so {@code ps} does not show it.
 */
public final class Cli {

    public static final String TOKEN_ENV = "HYBRIDCI_TOKEN";
    static final String USAGE = """
            usage: ./hybridci COMMAND [--url URL] [--data DIR] [--json]
              builds [--state STATE] [--repo OWNER/NAME] [--branch NAME] [--limit N]   newest first
              build BUILD_ID                                                           the build and its jobs
              log JOB_ID [--follow]                                                    the job's log (--follow until it ends)
              agents                                                                   agents with state and heartbeat
              cancel JOB_ID | retry JOB_ID                                             as the admin
              audit verify                                                             check every audit chain
              login [--callback-port N]      sign in to a dashboard in AWS (--url https://…): prints an address to open
              logout                         forget that sign-in
              token                          print the token the commands send (for scripts: approve, reject, secrets)
              environments                                                             environments with live colour and version
              environment NAME [--limit N]                                             one environment and its deployments
              rollback NAME                                                            put the previous live version back
              dead-letters [--queue NAME] [--limit N]                                  every DLQ: what it keeps, how many, a peek (admin)
            """;
    static final java.util.Set<String> COMMANDS = java.util.Set.of("builds", "build", "log", "agents", "cancel", "retry", "audit",
            "login", "logout", "token", "environments", "environment", "rollback", "dead-letters");
    /** How often {@code log --follow} asks for more while the job runs: the dashboard's own pace. */
    static final Duration FOLLOW_INTERVAL = Duration.ofSeconds(1);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final UserSignIn signIn = new UserSignIn(http, java.time.Clock.systemUTC());

    public Cli(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(new Cli(System.out, System.err, System.getenv()).run(args));
    }

    /** The parsed command line: the command, its positional arguments and its options. */
    record Invocation(String command, List<String> positional, Map<String, String> options, boolean json, boolean follow) {

        static Invocation parse(String[] args) {
            if (args.length == 0) {
                throw new UsageException("no command");
            }
            List<String> positional = new ArrayList<>();
            Map<String, String> options = new java.util.HashMap<>();
            boolean json = false;
            boolean follow = false;
            for (int i = 1; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--json" -> json = true;
                    case "--follow", "-f" -> follow = true;
                    case "--url", "--data", "--state", "--repo", "--branch", "--limit", "--callback-port", "--queue" -> {
                        if (i + 1 >= args.length) {
                            throw new UsageException(arg + " needs a value");
                        }
                        options.put(arg.substring(2), args[++i]);
                    }
                    default -> {
                        if (arg.startsWith("-")) {
                            throw new UsageException("unknown option " + arg);
                        }
                        positional.add(arg);
                    }
                }
            }
            return new Invocation(args[0], List.copyOf(positional), Map.copyOf(options), json, follow);
        }

        String url() {
            String url = options.getOrDefault("url", "http://127.0.0.1:8080");
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }

        Path data() {
            return Path.of(options.getOrDefault("data", ".hybridci"));
        }

        /** The dashboard's address as a base for relative references ({@code config.json}, {@code /oauth2/token}). */
        URI site() {
            return URI.create(url() + "/");
        }

        String only(String what) {
            if (positional.size() != 1) {
                throw new UsageException(command + " needs " + what);
            }
            return positional.getFirst();
        }
    }

    /** A mistake in the command line: exit status 2 with the usage. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** An answer the API refused, or no answer: exit status 1 with the API's own message. */
    static final class ApiException extends RuntimeException {
        ApiException(String message) {
            super(message);
        }
    }

    /** Runs one command; returns the process exit status (0 done, 1 failed, 2 bad usage). */
    public int run(String[] args) {
        try {
            Invocation invocation = Invocation.parse(args);
            if (!COMMANDS.contains(invocation.command())) {
                throw new UsageException("unknown command " + invocation.command());
            }
            switch (invocation.command()) {
                case "login" -> {
                    return login(invocation);
                }
                case "logout" -> {
                    boolean forgot = UserSignIn.logout(invocation.site(), invocation.data());
                    out.println(forgot ? "Signed out of " + invocation.url() + "." : "No sign-in for " + invocation.url() + ".");
                    return 0;
                }
                default -> {
                    // the commands below need a token
                }
            }
            String token = token(invocation);
            return switch (invocation.command()) {
                case "token" -> {
                    out.println(token);
                    yield 0;
                }
                case "builds" -> builds(invocation, token);
                case "build" -> build(invocation, token);
                case "log" -> log(invocation, token);
                case "agents" -> agents(invocation, token);
                case "cancel", "retry" -> jobCommand(invocation, token);
                case "audit" -> audit(invocation, token);
                case "environments" -> environments(invocation, token);
                case "environment" -> environment(invocation, token);
                case "rollback" -> rollback(invocation, token);
                case "dead-letters" -> deadLetters(invocation, token);
                default -> throw new UsageException("unknown command " + invocation.command());
            };
        } catch (UsageException e) {
            err.println("hybridci: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (ApiException e) {
            err.println("hybridci: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private String token(Invocation invocation) throws InterruptedException {
        String fromEnv = env.get(TOKEN_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        Optional<String> signedIn = signIn.bearer(invocation.site(), invocation.data());
        if (signedIn.isPresent()) {
            return signedIn.get();
        }
        Path file = invocation.data().resolve("admin-token");
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UsageException("no " + TOKEN_ENV + ", no sign-in for " + invocation.url() + " and no readable " + file
                    + " (start ./hybridci up, pass --data DIR, or ./hybridci login --url " + invocation.url() + ")");
        }
    }

    private int login(Invocation invocation) throws InterruptedException {
        Optional<Integer> port = Optional.ofNullable(invocation.options().get("callback-port")).map(text -> {
            try {
                int value = Integer.parseInt(text);
                if (value >= 0 && value <= 65535) {
                    return value;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new UsageException("--callback-port is 0 to 65535, was " + text);
        });
        UserSignIn.Tokens tokens = signIn.login(invocation.site(), invocation.data(), port, err);
        out.println("Signed in to " + invocation.url() + " as " + tokens.who() + "; the token is in "
                + UserSignIn.file(invocation.data(), invocation.site()) + " (this user only).");
        return 0;
    }

    // ------------------------------------------------------------------ commands

    private int builds(Invocation invocation, String token) throws InterruptedException {
        int limit = parseLimit(invocation.options().getOrDefault("limit", "20"));
        Optional<String> state = Optional.ofNullable(invocation.options().get("state")).map(String::toUpperCase);
        Optional<String> repo = Optional.ofNullable(invocation.options().get("repo"));
        Optional<String> branch = Optional.ofNullable(invocation.options().get("branch"));
        // The API pages newest first without filters (keyed queries only); the filters apply to what is read,
        // at most ten pages, as the dashboard's do.
        List<JsonNode> matching = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10 && matching.size() < limit; page++) {
            JsonNode answer = get(invocation, token, "/builds?limit=100" + (cursor == null ? "" : "&cursor=" + encode(cursor)));
            for (JsonNode build : answer.path("builds")) {
                if (state.map(s -> s.equals(build.path("state").asText())).orElse(true)
                        && repo.map(r -> r.equals(build.path("repo").asText())).orElse(true)
                        && branch.map(b -> b.equals(build.path("branch").asText())).orElse(true)
                        && matching.size() < limit) {
                    matching.add(build);
                }
            }
            cursor = answer.path("next").isTextual() ? answer.path("next").asText() : null;
            if (cursor == null) {
                break;
            }
        }
        if (invocation.json()) {
            out.println(JSON.createObjectNode().set("builds", JSON.valueToTree(matching)).toPrettyString());
            return 0;
        }
        if (matching.isEmpty()) {
            out.println("No builds" + (state.isPresent() || repo.isPresent() || branch.isPresent() ? " match." : " yet: push to a repository whose webhook points here."));
            return 0;
        }
        Table table = new Table("ID", "STATE", "REPO", "BRANCH", "COMMIT", "PUSHED BY", "CREATED", "DURATION");
        for (JsonNode build : matching) {
            table.row(build.path("id").asText(), build.path("state").asText(), build.path("repo").asText(),
                    build.path("branch").asText(""), shortSha(build.path("commit").asText()), build.path("pusher").asText(""),
                    build.path("createdAt").asText(""), duration(build.path("startedAt"), build.path("finishedAt")));
        }
        table.print(out);
        return 0;
    }

    private int build(Invocation invocation, String token) throws InterruptedException {
        String id = invocation.only("a BUILD_ID");
        JsonNode answer = get(invocation, token, "/builds/" + encode(id));
        if (invocation.json()) {
            out.println(answer.toPrettyString());
            return 0;
        }
        JsonNode build = answer; // the build's fields with its jobs beside them
        out.printf("%s  %s %s  %s %s%n", build.path("state").asText(), build.path("repo").asText(), build.path("branch").asText(""),
                shortSha(build.path("commit").asText()), build.path("message").asText("").lines().findFirst().orElse(""));
        out.printf("created %s by %s, duration %s%n%n", build.path("createdAt").asText(), build.path("pusher").asText("?"),
                duration(build.path("startedAt"), build.path("finishedAt")));
        Table table = new Table("JOB ID", "KEY", "STATE", "ATTEMPT", "QUEUE", "AGENT", "EXIT", "DURATION");
        for (JsonNode job : answer.path("jobs")) {
            table.row(job.path("id").asText(), job.path("key").asText(), job.path("state").asText(), job.path("attempt").asText(),
                    job.path("queue").asText(), job.path("agentId").asText("–"),
                    job.path("exitStatus").isNumber() ? job.path("exitStatus").asText() : "–",
                    duration(job.path("startedAt"), job.path("finishedAt")));
        }
        table.print(out);
        return 0;
    }

    private int log(Invocation invocation, String token) throws InterruptedException {
        String id = invocation.only("a JOB_ID");
        long after = 0;
        while (true) {
            JsonNode slice = get(invocation, token, "/jobs/" + encode(id) + "/log?after=" + after);
            if (invocation.json()) {
                out.println(slice.toString()); // one slice per line: a script can read them as they come
            } else {
                for (JsonNode chunk : slice.path("chunks")) {
                    out.print(chunk.path("chunk").asText()); // raw, colours included: the terminal renders them
                }
            }
            out.flush();
            long next = slice.path("next").asLong(after);
            boolean complete = slice.path("complete").asBoolean(false);
            if (complete || !invocation.follow()) {
                if (!invocation.json() && invocation.follow()) {
                    err.println("[job " + slice.path("state").asText() + "]");
                }
                return 0;
            }
            // A full page means more is waiting: ask again at once; otherwise wait like the dashboard does.
            if (next == after || slice.path("chunks").isEmpty()) {
                Thread.sleep(FOLLOW_INTERVAL.toMillis());
            }
            after = next;
        }
    }

    private int agents(Invocation invocation, String token) throws InterruptedException {
        JsonNode answer = get(invocation, token, "/agents?limit=100");
        if (invocation.json()) {
            out.println(answer.toPrettyString());
            return 0;
        }
        if (answer.path("agents").isEmpty()) {
            out.println("No agents: start one with ./hybridci agent --url URL --token \"$(cat .hybridci/registration-token)\"");
            return 0;
        }
        Table table = new Table("ID", "NAME", "STATE", "QUEUES", "CURRENT JOB", "LAST SEEN", "VERSION");
        for (JsonNode agent : answer.path("agents")) {
            List<String> queues = new ArrayList<>();
            agent.path("queues").forEach(queue -> queues.add(queue.asText()));
            table.row(agent.path("id").asText(), agent.path("name").asText(""), agent.path("state").asText(),
                    String.join(",", queues), agent.path("currentJobId").asText("–"), agent.path("lastSeenAt").asText("–"),
                    agent.path("agentVersion").asText("–"));
        }
        table.print(out);
        return 0;
    }

    private int jobCommand(Invocation invocation, String token) throws InterruptedException {
        String id = invocation.only("a JOB_ID");
        JsonNode answer = send(invocation, token, "POST", "/jobs/" + encode(id) + "/" + invocation.command());
        if (invocation.json()) {
            out.println(answer.toPrettyString());
            return 0;
        }
        JsonNode job = answer.path("job");
        out.printf("job %s (%s, attempt %s) is %s%n", job.path("id").asText(), job.path("key").asText(),
                job.path("attempt").asText(), job.path("state").asText());
        return 0;
    }

    private int environments(Invocation invocation, String token) throws InterruptedException {
        JsonNode answer = get(invocation, token, "/environments");
        if (invocation.json()) {
            out.println(answer.toPrettyString());
            return 0;
        }
        if (answer.path("environments").isEmpty()) {
            out.println("No environments: a deploy step creates its environment on its first deploy.");
            return 0;
        }
        Table table = new Table("NAME", "LIVE COLOUR", "LIVE VERSION", "APPROVAL", "BRANCHES", "UPDATED");
        for (JsonNode environment : answer.path("environments")) {
            table.row(environment.path("name").asText(), environment.path("liveColor").asText("–"),
                    shortSha(environment.path("liveVersion").asText("–")),
                    environment.path("protection").path("requireApproval").asBoolean() ? "required" : "–",
                    joined(environment.path("protection").path("allowedBranches")),
                    environment.path("updatedAt").asText(""));
        }
        table.print(out);
        return 0;
    }

    private int environment(Invocation invocation, String token) throws InterruptedException {
        String name = invocation.only("an environment NAME");
        int limit = parseLimit(invocation.options().getOrDefault("limit", "20"));
        JsonNode answer = get(invocation, token, "/environments/" + encode(name) + "?limit=" + limit);
        if (invocation.json()) {
            out.println(answer.toPrettyString());
            return 0;
        }
        JsonNode environment = answer.path("environment");
        out.printf("%s  live %s %s%n", environment.path("name").asText(), environment.path("liveColor").asText("–"),
                environment.path("liveVersion").asText("(nothing live yet)"));
        JsonNode protection = environment.path("protection");
        out.printf("approval %s, branches %s, approvers %s%n%n",
                protection.path("requireApproval").asBoolean() ? "required" : "not required",
                joined(protection.path("allowedBranches")), joined(protection.path("allowedRoles")));
        Table table = new Table("DEPLOYMENT", "STATE", "COLOUR", "VERSION", "BUILD", "APPROVED BY", "REASON", "CREATED");
        for (JsonNode deployment : answer.path("deployments")) {
            table.row(deployment.path("id").asText(), deployment.path("state").asText(), deployment.path("color").asText(),
                    shortSha(deployment.path("version").asText()), deployment.path("buildId").asText(),
                    deployment.path("approvedBy").asText("–"), deployment.path("reason").asText("–"),
                    deployment.path("createdAt").asText(""));
        }
        table.print(out);
        return 0;
    }

    /**
     * {@code dead-letters [--queue NAME] [--limit N] [--json]}: one line per dead-letter queue (what it keeps, how
     * many), then each peeked message (id, receives, sent, the attributes that say why, the body's start). A peek
     * counts as a receive but moves nothing (docs/RELIABILITY.md). The API checks the limit (10, or 100 with a queue).
     */
    private int deadLetters(Invocation invocation, String token) throws InterruptedException {
        List<String> query = new ArrayList<>();
        Optional.ofNullable(invocation.options().get("queue")).ifPresent(name -> query.add("queue=" + encode(name)));
        Optional.ofNullable(invocation.options().get("limit")).ifPresent(limit -> query.add("limit=" + encode(limit)));
        JsonNode answer = get(invocation, token, "/dead-letters" + (query.isEmpty() ? "" : "?" + String.join("&", query)));
        if (invocation.json()) {
            out.println(answer.toPrettyString());
            return 0;
        }
        Table table = new Table("QUEUE", "MESSAGES", "KIND", "DEAD LETTERS OF");
        for (JsonNode item : answer.path("queues")) {
            table.row(item.path("queue").asText(), item.path("approximateMessages").asText(), item.path("kind").asText(),
                    item.path("deadLetterOf").asText());
        }
        table.print(out);
        for (JsonNode item : answer.path("queues")) {
            for (JsonNode message : item.path("messages")) {
                out.printf("%n%s  %s  received %s times, sent %s%n", item.path("queue").asText(), message.path("messageId").asText(),
                        message.path("receiveCount").asText(), message.path("sentAt").asText("?"));
                message.path("attributes").properties().forEach(attribute ->
                        out.printf("  %s: %s%n", attribute.getKey(), attribute.getValue().asText()));
                String body = message.path("body").asText().replaceAll("\\s+", " ");
                out.printf("  body (%s bytes): %s%n", message.path("bodyBytes").asText(),
                        body.length() > 300 ? body.substring(0, 300) + "…" : body);
            }
        }
        return 0;
    }

    private int rollback(Invocation invocation, String token) throws InterruptedException {
        String name = invocation.only("an environment NAME");
        JsonNode answer = send(invocation, token, "POST", "/environments/" + encode(name) + "/rollback");
        if (invocation.json()) {
            out.println(answer.toPrettyString());
            return 0;
        }
        JsonNode deployment = answer.path("deployment");
        out.printf("rolling %s back to %s (%s): deployment %s, job %s%n", name,
                shortSha(deployment.path("version").asText()), deployment.path("color").asText(),
                deployment.path("id").asText(), answer.path("job").path("id").asText());
        return 0;
    }

    private static String joined(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(item -> items.add(item.asText()));
        return items.isEmpty() ? "any" : String.join(",", items);
    }

    private int audit(Invocation invocation, String token) throws InterruptedException {
        if (!invocation.positional().equals(List.of("verify"))) {
            throw new UsageException("audit needs 'verify'");
        }
        // Each answer is a run of at most ~5 s (the audit table grows without bound): go on from `next`
        // until complete, adding up the counts; a break ends it.
        long chains = 0;
        long records = 0;
        JsonNode report;
        String cursor = null;
        do {
            report = get(invocation, token, "/audit/verify" + (cursor == null ? "" : "?cursor=" + encode(cursor)));
            chains += report.path("chains").asLong();
            records += report.path("records").asLong();
            cursor = report.path("next").isTextual() ? report.path("next").asText() : null;
        } while (!report.path("complete").asBoolean(true) && cursor != null);
        boolean ok = report.path("ok").asBoolean(false);
        if (invocation.json()) {
            ObjectNode whole = report.deepCopy();
            whole.put("chains", chains);
            whole.put("records", records);
            out.println(whole.toPrettyString());
        } else if (ok) {
            out.printf("Audit chains verified: %d chains, %d records, every hash and link intact.%n", chains, records);
        } else {
            JsonNode firstBreak = report.path("firstBreak");
            out.printf("Audit chain BROKEN at %s #%s: %s (%s)%n", firstBreak.path("chain").asText(), firstBreak.path("seq").asText(),
                    firstBreak.path("problem").asText(), firstBreak.path("detail").asText());
        }
        // A broken chain is a failure a script must see without parsing the text.
        return ok ? 0 : 1;
    }

    // ------------------------------------------------------------------ HTTP

    private JsonNode get(Invocation invocation, String token, String path) throws InterruptedException {
        return send(invocation, token, "GET", path);
    }

    private JsonNode send(Invocation invocation, String token, String method, String path) throws InterruptedException {
        URI uri = URI.create(invocation.url() + "/api/v1" + path);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + token)
                .header("accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // A refused connection carries no message, only its type.
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new ApiException("cannot reach " + invocation.url() + " (" + why + "): is ./hybridci up running?");
        }
        JsonNode body;
        try {
            body = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new ApiException(method + " " + uri.getPath() + ": HTTP " + response.statusCode() + ", not JSON: " + response.body());
        }
        if (response.statusCode() / 100 != 2) {
            String message = body.path("message").asText(body.path("error").asText(response.body()));
            throw new ApiException(method + " " + uri.getPath() + ": HTTP " + response.statusCode() + ": " + message
                    + (response.statusCode() == 401 ? " (wrong admin token, or sign in again: ./hybridci login --url " + invocation.url() + ")" : ""));
        }
        return body;
    }

    // ------------------------------------------------------------------ formatting

    private static int parseLimit(String text) {
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= 1000) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException("--limit is 1 to 1000, was " + text);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String shortSha(String sha) {
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }

    /** From start to finish, or to now while it runs; "–" before it started. */
    static String duration(JsonNode startedAt, JsonNode finishedAt) {
        if (!startedAt.isTextual()) {
            return "–";
        }
        Instant end = finishedAt.isTextual() ? Instant.parse(finishedAt.asText()) : Instant.now();
        long seconds = Math.max(0, Duration.between(Instant.parse(startedAt.asText()), end).toSeconds());
        return seconds < 60 ? seconds + "s" : (seconds / 60) + "m" + (seconds % 60) + "s";
    }

    /** Columns padded to their widest cell, two spaces apart. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            rows.add(header);
        }

        void row(String... cells) {
            rows.add(cells);
        }

        void print(PrintStream out) {
            int[] widths = new int[rows.getFirst().length];
            for (String[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.length; i++) {
                    line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
                }
                out.println(line.toString().stripTrailing());
            }
        }
    }
}
