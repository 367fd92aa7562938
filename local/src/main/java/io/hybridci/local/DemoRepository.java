package io.hybridci.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The sample git repository of {@code ./hybridci demo}: a real repository under {@code <data>/demo-repo}
 * with a {@code .hybridci/pipeline.yml}, one new commit per demo run, served to agents over git's
 * "dumb" HTTP protocol (static files after {@code git update-server-info}) on 127.0.0.1.
 *
 * <p>Why HTTP and not a {@code file://} URL: the push a demo sends goes through the same webhook intake as
 * GitHub's, whose schema accepts only {@code http(s)://} clone URLs (a webhook should not be able to point
 * agents at arbitrary paths of their own disk). A static server is the smallest thing git can clone from
 * over HTTP; the agent's shallow fetch by SHA is refused by the dumb protocol and falls back to fetching the
 * branches, which for a repository this small costs nothing. The server lives as long as the demo runs.
 */
public final class DemoRepository implements AutoCloseable {

    /** Repository name, also the last part of the clone URL. */
    public static final String NAME = "demo-repo";

    /**
     * Four steps: {@code test} depends on {@code hello}, {@code many-lines} prints 2,000 lines, and
     * {@code package} waits for both, so the demo shows dependencies, parallel jobs and a streamed log.
     */
    public static final String PIPELINE = """
            env:
              GREETING: hello
            steps:
              - key: hello
                label: Say hello
                command: echo "$GREETING from $HYBRIDCI_REPO at $HYBRIDCI_COMMIT on $HYBRIDCI_BRANCH"
              - key: test
                label: Run the tests
                command: bash test.sh
                depends_on: hello
              - key: many-lines
                label: Print 2,000 lines
                command: for i in $(seq 1 2000); do echo "log line $i of 2000"; done
              - key: package
                label: Package
                command: tar czf demo.tgz README.md test.sh && ls -l demo.tgz
                depends_on: [test, many-lines]
            """;

    private static final String TEST_SCRIPT = """
            #!/usr/bin/env bash
            # The demo's "test suite": one assertion, so a passing build means something ran.
            set -euo pipefail
            test $((2 + 2)) -eq 4
            echo "1 test passed"
            """;

    private static final String README = """
            # demo-repo

            Created by `./hybridci demo`: every run commits to it and pushes that commit to the local cloud.
            """;

    private final Path dir;
    private final String commit;
    private final HttpServer server;

    private DemoRepository(Path dir, String commit, HttpServer server) {
        this.dir = dir;
        this.commit = commit;
        this.server = server;
    }

    /**
     * Creates the repository in {@code dir} when missing, commits the pipeline and a run marker (so every run
     * builds a new commit), and starts serving it.
     */
    public static DemoRepository commitAndServe(Path dir) {
        Objects.requireNonNull(dir, "dir");
        try {
            Files.createDirectories(dir.resolve(".hybridci"));
            if (!Files.isDirectory(dir.resolve(".git"))) {
                git(dir, "init", "--quiet");
                // Not "init -b main": that needs git 2.28; symbolic-ref works on every git.
                git(dir, "symbolic-ref", "HEAD", "refs/heads/main");
            }
            Files.writeString(dir.resolve(".hybridci/pipeline.yml"), PIPELINE);
            Files.writeString(dir.resolve("test.sh"), TEST_SCRIPT);
            Files.writeString(dir.resolve("README.md"), README);
            Files.writeString(dir.resolve("last-run.txt"), Instant.now() + "\n");
            git(dir, "add", "--all");
            // The identity is given here: a fresh machine often has no user.name/user.email configured.
            git(dir, "-c", "user.name=Hybrid CI demo", "-c", "user.email=demo@example.com", "-c", "commit.gpgsign=false",
                    "commit", "--quiet", "-m", "Demo run " + Instant.now());
            git(dir, "update-server-info");
            String commit = git(dir, "rev-parse", "HEAD");
            return new DemoRepository(dir, commit, serve(dir.resolve(".git")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the demo repository in " + dir, e);
        }
    }

    /** The commit this run pushes (40 hex digits). */
    public String commit() {
        return commit;
    }

    /** Where the repository lives on disk. */
    public Path dir() {
        return dir;
    }

    /** What agents clone: {@code http://127.0.0.1:<port>/demo-repo.git}. */
    public String cloneUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + NAME + ".git";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static HttpServer serve(Path gitDir) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        Path root = gitDir.toRealPath();
        server.createContext("/" + NAME + ".git/", exchange -> {
            try (exchange) {
                serveFile(exchange, root);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return server;
    }

    private static void serveFile(HttpExchange exchange, Path root) throws IOException {
        String prefix = "/" + NAME + ".git/";
        String relative = exchange.getRequestURI().getPath().substring(prefix.length());
        Path file = root.resolve(relative).normalize();
        // Only files inside .git, only reads: nothing else of the machine is reachable through this port.
        if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())
                || !file.startsWith(root) || !Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, Files.size(file));
        try (OutputStream body = exchange.getResponseBody()) {
            Files.copy(file, body);
        }
    }

    /** Runs git in {@code dir}; returns its trimmed output, or throws with that output when it fails. */
    static String git(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run git (is it installed and on PATH?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
