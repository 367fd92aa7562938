package io.hybridci.local.engine.dynamodb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * dynalite (DynamoDB on LevelDB, from npm) running as a child process of this JVM.
 *
 * <p>The process is started with every table operation instant ({@code --createTableMs 0} and friends) so
 * tests need not poll for ACTIVE, and with its data under {@code dataDir}, so tables and items survive a
 * restart. A shutdown hook kills the child, so it never outlives the JVM (a SIGKILL of the JVM is the one
 * case a hook cannot cover; dynalite's data survives that too).
 *
 * <p>Installing dynalite is the launcher's job ({@code npm ci --prefix local}), not Maven's: the build stays
 * offline-friendly and the lockfile in {@code local/} pins the exact version.
 */
public final class Dynalite implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final URI endpoint;
    private final Thread shutdownHook;

    private Dynalite(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
        this.shutdownHook = new Thread(process::destroyForcibly, "dynalite-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts dynalite on a free loopback port and waits until it answers HTTP.
     *
     * @param dataDir        where LevelDB keeps the tables (created if missing)
     * @param nodeModulesDir the {@code node_modules} folder that {@code npm ci} filled in {@code local/}
     * @throws IllegalStateException if node or dynalite is missing, or dynalite does not answer in time
     */
    public static Dynalite start(Path dataDir, Path nodeModulesDir) {
        Path cli = nodeModulesDir.resolve("dynalite").resolve("cli.js");
        if (!Files.isRegularFile(cli)) {
            throw new IllegalStateException("dynalite is not installed: " + cli + " is missing; run npm ci in local/ "
                    + "(npm ci --prefix local from the repository root)");
        }
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create dynalite data dir " + dataDir, e);
        }
        int port = freePort();
        List<String> command = List.of(node(), cli.toString(), "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--path", dataDir.toAbsolutePath().toString(),
                "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0");
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    // Its only output is the "listening" banner and crash traces; keep both out of our console
                    // but on disk next to the data, where a failed start can be diagnosed.
                    .redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + "-dynalite.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run node (is Node.js installed and on PATH?): " + e.getMessage(), e);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        Dynalite dynalite = new Dynalite(process, endpoint);
        try {
            dynalite.awaitAnswer();
        } catch (RuntimeException e) {
            dynalite.close();
            throw e;
        }
        return dynalite;
    }

    /** The HTTP endpoint to give a DynamoDbClient's {@code endpointOverride}. */
    public URI endpoint() {
        return endpoint;
    }

    /** Whether the child process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops dynalite with SIGTERM (LevelDB flushes), then SIGKILL if it lingers. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or has run: nothing left to remove.
        }
    }

    private void awaitAnswer() {
        // dynalite answers GET / with 200 once its server listens; polling a loopback port every 25 ms
        // costs nothing and avoids parsing its banner.
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("dynalite exited with status " + process.exitValue()
                        + " during startup; see the -dynalite.log file beside its data dir");
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(endpoint).GET()
                        .timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // keep polling until the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for dynalite", e);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for dynalite", e);
            }
        }
        throw new IllegalStateException("dynalite did not answer on " + endpoint + " within " + STARTUP_TIMEOUT);
    }

    private static String node() {
        String fromEnv = System.getenv("HYBRIDCI_NODE");
        return fromEnv == null || fromEnv.isBlank() ? "node" : fromEnv;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
