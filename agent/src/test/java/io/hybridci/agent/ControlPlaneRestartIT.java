package io.hybridci.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.local.LocalCloud;
import io.hybridci.local.LocalCloudOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control plane goes away while an agent runs a job, and comes back on the same data dir and port. The
 * agent keeps running the job, its pings and its {@code log} / {@code finished} messages fail while nothing
 * answers, and it retries them with backoff until they are accepted: the build ends PASSED with the whole log,
 * and nothing the agent said during the outage is lost.
 */
class ControlPlaneRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TERMINAL_BUILD = Set.of("PASSED", "FAILED", "CANCELED");
    private static final Duration DEADLINE = Duration.ofSeconds(150);

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newHttpClient();
    private Process agent;
    private LocalCloud cloud;

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.descendants().forEach(ProcessHandle::destroyForcibly);
            agent.destroy();
            if (!agent.waitFor(30, TimeUnit.SECONDS)) agent.destroyForcibly();
        }
        if (cloud != null) cloud.close();
    }

    @Test
    void shouldFinishTheBuild_whenTheControlPlaneRestartsWhileTheAgentRunsAJob() throws Exception {
        Path nodeModules = Path.of(System.getProperty("basedir", ".")).resolve("../local/node_modules").normalize();
        Path data = temp.resolve("cloud");
        int port = freePort();  // the agent only knows the URL: the cloud must come back on the same port
        LocalCloudOptions options = new LocalCloudOptions(data, port, Clock.systemUTC(), List.of("default"), nodeModules,
                false, null);
        cloud = LocalCloud.start(options);
        agent = startAgent();
        String buildId = createBuild("""
                steps:
                  - key: outlive
                    command: echo before; sleep 12; echo after
                """);
        awaitJob(buildId, j -> "outlive".equals(j.path("key").asText()) && "RUNNING".equals(j.path("state").asText()));

        cloud.close();
        cloud = null;
        Thread.sleep(15_000);  // the step finishes while nothing answers: its `finished` has nowhere to go yet
        assertTrue(agent.isAlive(), "the agent gave up while the control plane was away:" + agentLog());
        cloud = LocalCloud.start(options);

        JsonNode build = awaitBuild(buildId);
        assertEquals("PASSED", build.path("state").asText(), () -> build.toPrettyString() + agentLog());
        JsonNode step = StreamSupport.stream(build.path("jobs").spliterator(), false)
                .filter(j -> "outlive".equals(j.path("key").asText())).findFirst().orElseThrow();
        assertEquals(1, step.path("attempt").asInt(), "the job was not retried: its own finished arrived");
        assertEquals(0, step.path("exitStatus").asInt());
        String log = log(step);
        assertTrue(log.contains("before") && log.contains("after"), "the whole log arrived: " + log);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private Process startAgent() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, Main.class.getName(), "--url", cloud.baseUrl(), "--name", "steady-agent",
                "--work-dir", temp.resolve("work").toString())
                .redirectErrorStream(true).redirectOutput(temp.resolve("agent.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put(Main.TOKEN_ENV, cloud.credentials().registrationToken());
        return builder.start();
    }

    private String createBuild(String pipeline) throws Exception {
        Path repo = Files.createDirectories(temp.resolve("repo/.hybridci")).getParent();
        GitCheckoutTest.git(repo, "init", "-q");
        Files.writeString(repo.resolve(".hybridci/pipeline.yml"), pipeline);
        GitCheckoutTest.git(repo, "add", ".");
        GitCheckoutTest.git(repo, "commit", "-q", "-m", "pipeline");
        String body = JSON.createObjectNode().put("repo", "acme/restart").put("cloneUrl", repo.toString())
                .put("commit", GitCheckoutTest.git(repo, "rev-parse", "HEAD")).put("branch", "main").toString();
        HttpResponse<String> created = api("POST", "/api/v1/builds", body);
        assertEquals(201, created.statusCode(), created::body);
        return JSON.readTree(created.body()).path("id").asText();
    }

    private JsonNode awaitJob(String buildId, Predicate<JsonNode> condition) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        JsonNode build = null;
        while (Instant.now().isBefore(deadline)) {
            build = JSON.readTree(api("GET", "/api/v1/builds/" + buildId, null).body());
            for (JsonNode job : build.path("jobs")) {
                if (condition.test(job)) return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no job matched in " + DEADLINE + ": " + build + agentLog());
    }

    private JsonNode awaitBuild(String buildId) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        JsonNode build = null;
        while (Instant.now().isBefore(deadline)) {
            build = JSON.readTree(api("GET", "/api/v1/builds/" + buildId, null).body());
            if (TERMINAL_BUILD.contains(build.path("state").asText())) return build;
            Thread.sleep(200);
        }
        throw new AssertionError("build did not end in " + DEADLINE + ": " + build + agentLog());
    }

    private String log(JsonNode job) throws Exception {
        JsonNode log = JSON.readTree(api("GET", "/api/v1/jobs/" + job.path("id").asText() + "/log?after=-1", null).body());
        StringBuilder text = new StringBuilder();
        log.path("chunks").forEach(chunk -> text.append(chunk.path("chunk").asText()));
        return text.toString();
    }

    private HttpResponse<String> api(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(cloud.baseUrl() + path))
                .header("Authorization", "Bearer " + cloud.credentials().adminToken())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String agentLog() {
        try {
            return "\n--- agent ---\n" + Files.readString(temp.resolve("agent.log"));
        } catch (java.io.IOException e) {
            return "\n--- agent: no log";
        }
    }
}
