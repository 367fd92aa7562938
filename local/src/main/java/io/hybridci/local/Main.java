package io.hybridci.local;

import io.hybridci.topology.EnvironmentNames;
import io.hybridci.topology.Topology;

import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./hybridci up}: starts a {@link LocalCloud} and keeps it running until Ctrl-C (SIGINT) or SIGTERM,
 * which stop it cleanly through a shutdown hook.
 *
 * <p>Output contract, relied on by scripts and tests: where the secret files are and the webhook URL first,
 * then exactly one line {@code ready http://127.0.0.1:<port>} once the gateway accepts requests.
 * Exit status 2 for bad arguments, 1 when the cloud cannot start.
 *
 * <p>The repository root comes from the system property {@code hybridci.home} (the launcher sets it; the
 * working directory otherwise): dynalite is in {@code <home>/local/node_modules}, the dashboard in
 * {@code <home>/dashboard} once it exists.
 */
public final class Main {

    private Main() {
    }

    /** The parsed command line. */
    record Arguments(int port, Path dataDir, int agents, URI githubApiUrl, String cancelSuperseded, boolean help,
                     boolean githubStatusPerJob) {

        /** Read from the environment, not the command line, so the token shows in no process list. */
        static final String GITHUB_TOKEN_VARIABLE = "HYBRIDCI_GITHUB_TOKEN";

        static final String USAGE = """
                usage: ./hybridci up [--port N] [--data DIR] [--agents N] [--github-api-url URL] [--github-status-per-job]

                  --port N               port of the HTTP gateway on 127.0.0.1 (default 8080)
                  --data DIR             where the local cloud keeps its state and secrets (default .hybridci/)
                  --agents N             local agents to start beside it on queue default (default 1; 0 for none)
                  --github-api-url URL   post commit statuses to this GitHub REST API (https://api.github.com,
                                         https://HOST/api/v3); the token (or GitHub App JSON) comes from
                                         $HYBRIDCI_GITHUB_TOKEN or the secret hybridci/github-token.
                                         Without it, commit statuses are off.
                  --github-status-per-job
                                         with --github-api-url: also one status per job (context hybridci/<key>)
                  --cancel-superseded GLOBS
                                         comma-separated branch globs (feature/**) whose new builds cancel
                                         the branch's older ones; a wildcard never matches the default branch
                """;

        static Arguments parse(List<String> args) {
            int port = 8080;
            Path dataDir = Path.of(".hybridci");
            // One agent by default: ./hybridci up alone runs a pushed pipeline end to end (./hybridci demo).
            int agents = 1;
            URI githubApiUrl = null;
            String cancelSuperseded = null;
            boolean githubStatusPerJob = false;
            boolean help = false;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "--port" -> port = number(arg, value(args, ++i, arg), 1, 65_535);
                    case "--data" -> dataDir = Path.of(value(args, ++i, arg));
                    case "--agents" -> agents = number(arg, value(args, ++i, arg), 0, 64);
                    case "--github-api-url" -> githubApiUrl = url(arg, value(args, ++i, arg));
                    case "--cancel-superseded" -> cancelSuperseded = value(args, ++i, arg);
                    case "--github-status-per-job" -> githubStatusPerJob = true;
                    case "-h", "--help" -> help = true;
                    default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
                }
            }
            if (githubStatusPerJob && githubApiUrl == null) {
                throw new IllegalArgumentException("--github-status-per-job needs --github-api-url");
            }
            return new Arguments(port, dataDir, agents, githubApiUrl, cancelSuperseded, help, githubStatusPerJob);
        }

        private static URI url(String option, String text) {
            try {
                URI url = new URI(text);
                if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) throw new URISyntaxException(text, "not http(s)");
                return url;
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(option + " must be an http(s) URL, was '" + text + "'");
            }
        }

        private static String value(List<String> args, int index, String option) {
            if (index >= args.size()) throw new IllegalArgumentException(option + " needs a value");
            return args.get(index);
        }

        private static int number(String option, String text, int min, int max) {
            try {
                int value = Integer.parseInt(text);
                if (value < min || value > max) throw new NumberFormatException();
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a number from " + min + " to " + max + ", was '" + text + "'");
            }
        }
    }

    public static void main(String[] args) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("hybridci up: " + e.getMessage());
            System.err.print(Arguments.USAGE);
            System.exit(2);
            return;
        }
        if (arguments.help()) {
            System.out.print(Arguments.USAGE);
            return;
        }
        // Pekko (inside ElasticMQ) logs through its own config before SLF4J's levels apply.
        System.setProperty("pekko.loglevel", System.getProperty("pekko.loglevel", "WARNING"));
        System.setProperty("pekko.stdout-loglevel", System.getProperty("pekko.stdout-loglevel", "WARNING"));

        Path home = Path.of(System.getProperty("hybridci.home", ".")).toAbsolutePath().normalize();
        // dashboard/public holds the served files; dashboard/ itself also has its tests and node_modules.
        Path dashboard = home.resolve("dashboard").resolve("public");
        LocalCloudOptions options = new LocalCloudOptions(arguments.dataDir().toAbsolutePath().normalize(),
                arguments.port(), Clock.systemUTC(), List.of("default"), home.resolve("local").resolve("node_modules"),
                true, Files.isDirectory(dashboard) ? dashboard : null);
        if (arguments.githubApiUrl() != null) {
            String token = System.getenv(Arguments.GITHUB_TOKEN_VARIABLE);
            options = options.withGithub(new LocalCloudOptions.GithubFeedback(arguments.githubApiUrl(),
                    token == null || token.isBlank() ? null : token.trim()));
        }
        if (arguments.githubStatusPerJob()) {
            options = options.withFunctionEnvironment(Topology.GITHUB_STATUS, EnvironmentNames.GITHUB_STATUS_PER_JOB, "true");
        }
        if (arguments.cancelSuperseded() != null) {
            options = options.withFunctionEnvironment(Topology.BUILD_PLANNER, EnvironmentNames.CANCEL_SUPERSEDED_BRANCHES,
                    arguments.cancelSuperseded());
        }

        long started = System.nanoTime();
        LocalCloud cloud;
        try {
            cloud = LocalCloud.start(options);
        } catch (RuntimeException e) {
            System.err.println("hybridci up: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        LocalAgents agents = LocalAgents.start(home, cloud, arguments.agents(), System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        // One hook, so the order holds: agents first (they would otherwise see the API vanish under them).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("hybridci up: stopping");
            agents.close();
            cloud.close();
            stopped.countDown();
        }, "hybridci-up-shutdown"));

        printBanner(System.out, cloud, Duration.ofNanos(System.nanoTime() - started));
        System.out.println("ready " + cloud.baseUrl());
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void printBanner(PrintStream out, LocalCloud cloud, Duration startTime) {
        Path data = cloud.dataDir();
        out.printf("Hybrid CI local cloud, data in %s (started in %.1f s)%n", data, startTime.toMillis() / 1000.0);
        out.println("  webhook URL:        " + cloud.webhookUrl() + "  (content type application/json, secret below)");
        out.println("  webhook secret:     " + data.resolve(LocalCredentials.WEBHOOK_SECRET_FILE));
        out.println("  admin token:        " + data.resolve(LocalCredentials.ADMIN_TOKEN_FILE)
                + "  (Authorization: Bearer … on " + cloud.baseUrl() + "/api/v1)");
        out.println("  registration token: " + data.resolve(LocalCredentials.REGISTRATION_TOKEN_FILE) + "  (for agents)");
    }
}
