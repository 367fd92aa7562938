package io.hybridci.aws.dynamodb;

import io.hybridci.topology.TableSpec;
import io.hybridci.topology.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A real dynalite (npm, pinned by local/package-lock.json) for the integration tests: one process
 * per JVM, started by the first test class that uses the extension, stopped when the JVM's root
 * extension store closes. Each test gets fresh tables ({@link #freshTables}) so tests never see
 * each other's items.
 */
public final class LocalDynalite implements BeforeAllCallback {

    private static final AtomicInteger TABLE_SUFFIX = new AtomicInteger();
    private static volatile Server server;

    /** The running dynalite's client. */
    public static DynamoDbClient client() {
        return server.client;
    }

    /** The physical names of a fresh set of the standard tables. */
    public record Tables(String state, String audit, String logs) {}

    /** Creates the standard tables of {@link Topology#standard()} under new names. */
    public static Tables freshTables() {
        String suffix = "-" + TABLE_SUFFIX.incrementAndGet();
        var creator = new TableCreator(client());
        for (TableSpec spec : Topology.standard().tables()) {
            creator.create(spec, spec.name() + suffix);
        }
        return new Tables(Topology.STATE_TABLE + suffix, Topology.AUDIT_TABLE + suffix, Topology.LOGS_TABLE + suffix);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (LocalDynalite.class) {
            if (server == null) {
                server = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                        .getOrComputeIfAbsent(Server.class, key -> Server.start(), Server.class);
            }
        }
    }

    private static final class Server implements ExtensionContext.Store.CloseableResource {
        private final Process process;
        private final Path dataDir;
        private final DynamoDbClient client;

        private Server(Process process, Path dataDir, DynamoDbClient client) {
            this.process = process;
            this.dataDir = dataDir;
            this.client = client;
        }

        static Server start() {
            Path cli = findCli();
            try {
                Path dataDir = Files.createTempDirectory("dynalite-it");
                int port;
                try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    port = socket.getLocalPort();
                }
                Process process = new ProcessBuilder("node", cli.toString(), "--host", "127.0.0.1", "--port",
                        String.valueOf(port), "--path", dataDir.toString(), "--createTableMs", "0",
                        "--deleteTableMs", "0", "--updateTableMs", "0")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                awaitPort(process, port);
                var client = DynamoDbClient.builder()
                        .endpointOverride(URI.create("http://127.0.0.1:" + port))
                        .region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                        .httpClient(UrlConnectionHttpClient.create())
                        .build();
                return new Server(process, dataDir, client);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start dynalite (is node on PATH?)", e);
            }
        }

        private static Path findCli() {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                Path lockfile = dir.resolve("local/package-lock.json");
                if (Files.isRegularFile(lockfile)) {
                    Path cli = dir.resolve("local/node_modules/dynalite/cli.js");
                    if (!Files.isRegularFile(cli)) {
                        throw new IllegalStateException("dynalite is not installed: " + cli
                                + " is missing; run `npm ci` in " + dir.resolve("local"));
                    }
                    return cli;
                }
            }
            throw new IllegalStateException("local/package-lock.json not found above " + Path.of("").toAbsolutePath()
                    + "; run the ITs from the repository, after `npm ci` in local/");
        }

        private static void awaitPort(Process process, int port) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("dynalite exited with status " + process.exitValue());
                }
                try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    return;
                } catch (IOException notYet) {
                    try {
                        Thread.sleep(25);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for dynalite", e);
                    }
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException("dynalite did not listen on port " + port + " within 20 s");
        }

        @Override
        public void close() throws IOException {
            client.close();
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
            server = null;
        }
    }

}
