package io.hybridci.local;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What a test does to a running local cloud from outside: GitHub's signed webhook deliveries and the
 * admin's API calls, plus waiting for an outcome by polling with a deadline (never a fixed sleep).
 */
final class CloudDriver {

    /** Generous: the CI machine has 2 cores shared with other builds. */
    static final Duration DEADLINE = Duration.ofSeconds(45);
    static final Path NODE_MODULES = Path.of(System.getProperty("basedir", ".")).resolve("node_modules");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final LocalCloud cloud;

    CloudDriver(LocalCloud cloud) {
        this.cloud = cloud;
    }

    /** A commit id no other test uses, so each test finds its own build. */
    static String newCommit() {
        byte[] random = new byte[20];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** The real push fixture with its head commit replaced, signed with the cloud's webhook secret. */
    HttpResponse<String> push(String deliveryId, String commit) {
        String body = pushBody(commit);
        String signature = "sha256=" + ScriptedAgent.hmacHexBytes(cloud.credentials().webhookSecret(), body);
        return deliver(deliveryId, body, signature);
    }

    HttpResponse<String> deliver(String deliveryId, String body, String signature) {
        return deliver("push", deliveryId, body, signature);
    }

    /** A webhook of GitHub event {@code eventName} ({@code push}, {@code pull_request}, …). */
    HttpResponse<String> deliver(String eventName, String deliveryId, String body, String signature) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(cloud.webhookUrl())).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-GitHub-Event", eventName)
                .header("X-GitHub-Delivery", deliveryId).header("X-Hub-Signature-256", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String pushBody(String commit) {
        try (var in = CloudDriver.class.getResourceAsStream("/events/github/push.json")) {
            String fixture = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return fixture.replace("9f2c1e0b7d4a5c3e8f1b2a6d0c9e7f4a3b5d1c2e", commit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String newDeliveryId() {
        return UUID.randomUUID().toString();
    }

    /** GET on the user API with the admin token; fails unless 200. */
    JsonNode admin(String path) {
        HttpResponse<String> response = ScriptedAgent.http(cloud.baseUrl(), "GET", path, cloud.credentials().adminToken(), null);
        if (response.statusCode() != 200) throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        return ScriptedAgent.parse(response.body());
    }

    /** The builds of {@code commit}, newest first (one page of 100 is plenty for a test run). */
    java.util.List<JsonNode> buildsOf(String commit) {
        java.util.List<JsonNode> builds = new java.util.ArrayList<>();
        admin("/api/v1/builds?limit=100").path("builds").forEach(build -> {
            if (build.path("commit").asText().equals(commit)) builds.add(build);
        });
        return builds;
    }

    /** Waits for the build of {@code commit} to have a job in {@code state}; returns the build with its jobs. */
    JsonNode awaitBuildWithJob(String commit, String state) {
        return await("a build of " + commit + " with a " + state + " job", () -> buildsOf(commit).stream().findFirst()
                .map(build -> admin("/api/v1/builds/" + build.path("id").asText())), build -> {
            for (JsonNode job : build.path("jobs")) if (job.path("state").asText().equals(state)) return true;
            return false;
        });
    }

    JsonNode awaitJob(String jobId, Predicate<JsonNode> condition, String what) {
        return await("job " + jobId + " " + what, () -> Optional.of(admin("/api/v1/jobs/" + jobId)), condition);
    }

    JsonNode awaitBuild(String buildId, String state) {
        return await("build " + buildId + " " + state, () -> Optional.of(admin("/api/v1/builds/" + buildId)),
                build -> build.path("state").asText().equals(state));
    }

    /** Polls {@code probe} until {@code condition} holds or the deadline passes; the last value is in the failure. */
    static <T> T await(String what, Supplier<Optional<T>> probe, Predicate<T> condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        Optional<T> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            last = probe.get();
            if (last.isPresent() && condition.test(last.get())) return last.get();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out after " + DEADLINE + " waiting for " + what + "; last seen: " + last.orElse(null));
    }

    static Path freshDir(Path parent, String name) {
        try {
            return Files.createDirectories(parent.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
