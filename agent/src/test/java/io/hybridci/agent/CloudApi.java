package io.hybridci.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.local.LocalCloud;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the agent's integration tests do with a local cloud through its user API: create a build from a
 * pipeline in a fresh git repository, wait (with a deadline, never a fixed sleep) for a job or the build to
 * get somewhere, read a job's log. The cloud is a supplier because a test may restart it.
 */
final class CloudApi {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TERMINAL_BUILD = Set.of("PASSED", "FAILED", "CANCELED");

    private final Supplier<LocalCloud> cloud;
    private final Duration deadline;
    private final Supplier<String> diagnostics;
    private final HttpClient http = HttpClient.newHttpClient();

    /** @param diagnostics appended to a timeout's message (e.g. the agents' logs) */
    CloudApi(Supplier<LocalCloud> cloud, Duration deadline, Supplier<String> diagnostics) {
        this.cloud = cloud;
        this.deadline = deadline;
        this.diagnostics = diagnostics;
    }

    /** Commits {@code pipeline} as .hybridci/pipeline.yml in a new repository under {@code dir} and builds it. */
    String createBuild(Path dir, String repoName, String pipeline) throws Exception {
        return createBuild(dir, repoName, pipeline, "main", java.util.Map.of());
    }

    /**
     * As above, on {@code branch}, with {@code files} (path → content) committed beside the pipeline; a repository
     * already under {@code dir} gets a new commit.
     */
    String createBuild(Path dir, String repoName, String pipeline, String branch, java.util.Map<String, String> files)
            throws Exception {
        Path repo = Files.createDirectories(dir.resolve(".hybridci")).getParent();
        if (!Files.exists(repo.resolve(".git"))) {
            GitCheckoutTest.git(repo, "init", "-q");
        }
        Files.writeString(repo.resolve(".hybridci/pipeline.yml"), pipeline);
        for (var file : files.entrySet()) {
            Files.writeString(repo.resolve(file.getKey()), file.getValue());
        }
        GitCheckoutTest.git(repo, "add", ".");
        GitCheckoutTest.git(repo, "commit", "-q", "--allow-empty", "-m", "pipeline");
        String body = JSON.createObjectNode().put("repo", repoName).put("cloneUrl", repo.toString())
                .put("commit", GitCheckoutTest.git(repo, "rev-parse", "HEAD")).put("branch", branch).toString();
        HttpResponse<String> created = call("POST", "/api/v1/builds", body);
        assertEquals(201, created.statusCode(), created::body);
        return JSON.readTree(created.body()).path("id").asText();
    }

    JsonNode awaitJob(String buildId, Predicate<JsonNode> condition) throws Exception {
        Instant end = Instant.now().plus(deadline);
        JsonNode build = null;
        while (Instant.now().isBefore(end)) {
            build = build(buildId);
            for (JsonNode job : jobs(build)) {
                if (condition.test(job)) return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no job matched in " + deadline + ": " + build + diagnostics.get());
    }

    JsonNode awaitBuild(String buildId) throws Exception {
        Instant end = Instant.now().plus(deadline);
        JsonNode build = null;
        while (Instant.now().isBefore(end)) {
            build = build(buildId);
            if (TERMINAL_BUILD.contains(build.path("state").asText())) return build;
            Thread.sleep(200);
        }
        throw new AssertionError("build did not end in " + deadline + ": " + build + diagnostics.get());
    }

    String log(JsonNode job) throws Exception {
        JsonNode log = JSON.readTree(call("GET", "/api/v1/jobs/" + job.path("id").asText() + "/log?after=-1", null).body());
        StringBuilder text = new StringBuilder();
        log.path("chunks").forEach(chunk -> text.append(chunk.path("chunk").asText()));
        return text.toString();
    }

    HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(cloud.get().baseUrl() + path))
                .header("Authorization", "Bearer " + cloud.get().credentials().adminToken())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static List<JsonNode> jobs(JsonNode build) {
        return StreamSupport.stream(build.path("jobs").spliterator(), false).toList();
    }

    private JsonNode build(String buildId) throws Exception {
        return JSON.readTree(call("GET", "/api/v1/builds/" + buildId, null).body());
    }
}
