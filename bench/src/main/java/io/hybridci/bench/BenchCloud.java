package io.hybridci.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.local.LocalCloud;
import io.hybridci.local.LocalCloudOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A local cloud started in this JVM on a fresh temp data dir and a free port, with the real clock and no
 * background schedules (a reaper run in the middle of a measurement would be noise), plus what GitHub
 * and the admin do to it.
 */
final class BenchCloud implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String FIXTURE_COMMIT = "9f2c1e0b7d4a5c3e8f1b2a6d0c9e7f4a3b5d1c2e";

    final LocalCloud cloud;
    private final Path dataDir;
    private final String pushTemplate;

    private BenchCloud(LocalCloud cloud, Path dataDir) {
        this.cloud = cloud;
        this.dataDir = dataDir;
        try (var in = BenchCloud.class.getResourceAsStream("/bench-push.json")) {
            this.pushTemplate = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BenchCloud start() {
        try {
            Path data = Files.createTempDirectory("hybridci-bench-");
            // The options of `up` (queue "default", no dashboard) on a free port, without background schedules.
            LocalCloud cloud = LocalCloud.start(LocalCloudOptions.of(data, 0, nodeModules()).withClock(Clock.systemUTC())
                    .withoutBackgroundSchedules());
            return new BenchCloud(cloud, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code local/node_modules} (dynalite), found from {@code -Dhybridci.home} or by walking up from here. */
    static Path nodeModules() {
        return home().resolve("local/node_modules");
    }

    /** The repository root: {@code -Dhybridci.home}, else the nearest directory up from here holding {@code local/}. */
    static Path home() {
        String property = System.getProperty("hybridci.home");
        if (property != null) return Path.of(property).toAbsolutePath();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("local/node_modules"))) return dir;
        }
        throw new IllegalStateException("cannot find the repository root (local/node_modules): pass -Dhybridci.home");
    }

    static String newCommit() {
        byte[] random = new byte[20];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** A signed GitHub push of {@code commit}, as GitHub delivers it. */
    HttpResponse<String> push(String commit) {
        String body = pushTemplate.replace(FIXTURE_COMMIT, commit);
        String signature = "sha256=" + ProtocolAgent.hmacHex(cloud.credentials().webhookSecret(), body);
        HttpRequest request = HttpRequest.newBuilder(URI.create(cloud.webhookUrl())).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString()).header("X-Hub-Signature-256", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET on the user API with the admin token; null unless 200. */
    JsonNode admin(String path) {
        HttpResponse<String> response = ProtocolAgent.http(cloud.baseUrl(), "GET", path, cloud.credentials().adminToken(), null);
        return response.statusCode() == 200 ? ProtocolAgent.parse(response.body()) : null;
    }

    ProtocolAgent agent(String name, ProtocolAgent.Observer observer) {
        return ProtocolAgent.start(cloud.baseUrl(), cloud.credentials().registrationToken(), name, observer, 2);
    }

    @Override
    public void close() {
        cloud.close();
        try (var walk = Files.walk(dataDir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temp dir left behind is harmless; say so rather than fail a finished benchmark.
            System.err.println("bench: could not delete " + dataDir + ": " + e);
        }
    }
}
