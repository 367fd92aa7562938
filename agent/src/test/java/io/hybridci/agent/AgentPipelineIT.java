package io.hybridci.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.local.LocalCloud;
import io.hybridci.local.LocalCloudOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real agent, as a child process, against the real local cloud in this JVM: builds are created
 * through {@code POST /api/v1/builds} for real git repositories in a temp dir, and followed through
 * {@code /api/v1} until they end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentPipelineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TERMINAL_BUILD = Set.of("PASSED", "FAILED", "CANCELED");
    private static final Duration BUILD_TIMEOUT = Duration.ofSeconds(90);
    private static final int CANCEL_GRACE_SECONDS = 3;

    @TempDir
    static Path temp;

    private LocalCloud cloud;
    private Process agent;
    private Path agentLog;
    private final HttpClient http = HttpClient.newHttpClient();
    private int repoCount;

    @BeforeAll
    void startCloudAndAgent() throws Exception {
        Path nodeModules = Path.of(System.getProperty("basedir", ".")).resolve("../local/node_modules").normalize();
        cloud = LocalCloud.start(new LocalCloudOptions(temp.resolve("cloud"), 0, Clock.systemUTC(), List.of("default"),
                nodeModules, true, null));
        agentLog = temp.resolve("agent.log");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, Main.class.getName(),
                "--url", cloud.baseUrl(), "--name", "it-agent", "--spawn", "2",
                "--work-dir", temp.resolve("work").toString(), "--cancel-grace", Integer.toString(CANCEL_GRACE_SECONDS))
                .redirectErrorStream(true).redirectOutput(agentLog.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // The token goes through the environment, so it does not show in ps.
        builder.environment().put(Main.TOKEN_ENV, cloud.credentials().registrationToken());
        agent = builder.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (agent != null) {
            agent.destroy();
            if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void shouldPassTheBuild_whenAThreeStepPipelineRuns() throws Exception {
        JsonNode build = runBuild("""
                steps:
                  - key: one
                    command: echo "one $HYBRIDCI_JOB_KEY $HYBRIDCI_BRANCH"
                  - key: two
                    command: test "$GREETING" = hello && echo two
                    env: {GREETING: hello}
                    depends_on: one
                  - key: three
                    command: echo three; ls .hybridci
                    depends_on: two
                """);

        assertEquals("PASSED", build.get("state").asText(), () -> describe(build));
        assertEquals(List.of("PASSED", "PASSED", "PASSED"), states(build, "one", "two", "three"));
        assertTrue(log(job(build, "one")).contains("one one main"), () -> log(job(build, "one")));
        assertTrue(log(job(build, "three")).contains("pipeline.yml"));
    }

    @Test
    void shouldLeaveNonDispatchesAndUnknownJobsForTheDeadLetterQueue_andGoOnRunningJobs() throws Exception {
        String dlq = io.hybridci.topology.Topology.dlqName(io.hybridci.topology.Topology.jobQueueName("default"));
        long before = cloud.approximateMessages(dlq);
        String jobQueue = cloud.queueUrl(io.hybridci.topology.Topology.jobQueueName("default"));
        cloud.clients().sqs().sendMessage(r -> r.queueUrl(jobQueue).messageBody("{\"poison\":\"no jobId\"}"));
        cloud.clients().sqs().sendMessage(r -> r.queueUrl(jobQueue).messageBody("{\"jobId\":\"j-nobody-wrote-this\"}"));

        // The agent's two slots put each back at once; SQS's redrive moves it on its sixth receive.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (cloud.approximateMessages(dlq) < before + 2 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }

        assertEquals(before + 2, cloud.approximateMessages(dlq), () -> "not dead-lettered; agent log:\n" + agentLogTail());
        String said = Files.readString(agentLog);
        assertTrue(said.contains("not a job dispatch") && said.contains("job j-nobody-wrote-this does not exist"),
                "the agent says what it did");
        JsonNode build = runBuild("""
                steps:
                  - command: echo after the poison
                """);
        assertEquals("PASSED", build.get("state").asText(), () -> describe(build));
    }

    @Test
    void shouldFailTheBuildAndSkipDependents_whenAStepFails() throws Exception {
        JsonNode build = runBuild("""
                steps:
                  - key: broken
                    command: echo about to fail; exit 3
                  - key: after
                    command: echo never
                    depends_on: broken
                """);

        assertEquals("FAILED", build.get("state").asText(), () -> describe(build));
        JsonNode broken = job(build, "broken");
        assertEquals("FAILED", broken.get("state").asText());
        assertEquals(3, broken.get("exitStatus").asInt());
        assertEquals("SKIPPED", job(build, "after").get("state").asText());
        assertTrue(log(broken).contains("about to fail"));
    }

    @Test
    void shouldRetryUntilTheLimit_whenTheExitStatusMatchesRetryAutomatic() throws Exception {
        JsonNode build = runBuild("""
                steps:
                  - key: flaky
                    command: echo "attempt $HYBRIDCI_JOB_ATTEMPT"; exit 7
                    retry:
                      automatic: [{exit_status: 7, limit: 2}]
                """);

        assertEquals("FAILED", build.get("state").asText(), () -> describe(build));
        List<JsonNode> attempts = jobs(build).stream().filter(j -> "flaky".equals(j.get("key").asText())).toList();
        assertEquals(List.of(1, 2, 3), attempts.stream().map(j -> j.get("attempt").asInt()).sorted().toList(),
                () -> describe(build));
        assertTrue(attempts.stream().allMatch(j -> j.get("exitStatus").asInt() == 7 && "FAILED".equals(j.get("state").asText())));
    }

    @Test
    void shouldEndCanceledWithinTheGrace_whenARunningSleepIsCanceled() throws Exception {
        String buildId = createBuild(repository("""
                steps:
                  - key: sleeper
                    command: echo sleeping; sleep 60
                """));
        JsonNode sleeper = awaitJob(buildId, "sleeper", j -> "RUNNING".equals(j.get("state").asText()));
        long start = System.nanoTime();

        HttpResponse<String> canceled = api("POST", "/api/v1/jobs/" + sleeper.get("id").asText() + "/cancel", "");
        assertEquals(200, canceled.statusCode(), canceled::body);
        JsonNode build = awaitBuild(buildId);

        long seconds = (System.nanoTime() - start) / 1_000_000_000;
        JsonNode job = job(build, "sleeper");
        assertEquals("CANCELED", job.get("state").asText(), () -> describe(build));
        assertEquals("SIGTERM", job.get("signal").asText(), "sleep obeyed SIGTERM, before the grace's SIGKILL");
        // The cancel reaches the agent with its next ping (every 10 s), then SIGTERM ends sleep at once.
        assertTrue(seconds < 10 + CANCEL_GRACE_SECONDS + 5, "canceled after " + seconds + " s");
        assertTrue(log(job).contains("sleeping"));
    }

    @Test
    void shouldFailTheBootstrapJobNamingTheSteps_whenThePipelineHasACycle() throws Exception {
        JsonNode build = runBuild("""
                steps:
                  - key: alpha
                    command: echo a
                    depends_on: beta
                  - key: beta
                    command: echo b
                    depends_on: alpha
                """);

        assertEquals("FAILED", build.get("state").asText(), () -> describe(build));
        JsonNode bootstrap = jobs(build).stream().filter(j -> "BOOTSTRAP".equals(j.get("kind").asText())).findFirst().orElseThrow();
        assertEquals("FAILED", bootstrap.get("state").asText());
        assertEquals(1, bootstrap.get("exitStatus").asInt());
        String log = log(bootstrap);
        assertTrue(log.contains("dependency cycle") && log.contains("alpha") && log.contains("beta"), log);
    }

    @Test
    void shouldDeliverEveryLineInOrder_whenAStepPrintsTenThousandLines() throws Exception {
        JsonNode build = runBuild("""
                steps:
                  - key: chatty
                    command: for i in $(seq 1 10000); do echo "line $i"; done
                """);

        assertEquals("PASSED", build.get("state").asText(), () -> describe(build));
        String expected = java.util.stream.IntStream.rangeClosed(1, 10_000).mapToObj(i -> "line " + i + "\n")
                .collect(Collectors.joining());
        String log = log(job(build, "chatty"));
        assertTrue(log.endsWith(expected), () -> "log of " + log.length() + " chars does not end with the 10,000 lines");
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private JsonNode runBuild(String pipeline) throws Exception {
        return awaitBuild(createBuild(repository(pipeline)));
    }

    /** A git repository with the pipeline committed; returns {path, sha}. */
    private String[] repository(String pipeline) throws Exception {
        Path repo = temp.resolve("repo-" + (++repoCount));
        Files.createDirectories(repo.resolve(".hybridci"));
        GitCheckoutTest.git(repo, "init", "-q");
        Files.writeString(repo.resolve(".hybridci/pipeline.yml"), pipeline);
        GitCheckoutTest.git(repo, "add", ".");
        GitCheckoutTest.git(repo, "commit", "-q", "-m", "pipeline");
        return new String[] {repo.toString(), GitCheckoutTest.git(repo, "rev-parse", "HEAD")};
    }

    private String createBuild(String[] repo) throws Exception {
        String body = JSON.createObjectNode().put("repo", "acme/repo-" + repoCount).put("cloneUrl", repo[0])
                .put("commit", repo[1]).put("branch", "main").toString();
        HttpResponse<String> response = api("POST", "/api/v1/builds", body);
        assertEquals(201, response.statusCode(), response::body);
        return JSON.readTree(response.body()).get("id").asText();
    }

    private JsonNode awaitBuild(String buildId) throws Exception {
        long deadline = System.nanoTime() + BUILD_TIMEOUT.toNanos();
        JsonNode build = null;
        while (System.nanoTime() < deadline) {
            build = JSON.readTree(api("GET", "/api/v1/builds/" + buildId, null).body());
            if (TERMINAL_BUILD.contains(build.path("state").asText())) {
                return build;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("build did not end in " + BUILD_TIMEOUT + ": " + describe(build) + "\nagent log:\n"
                + Files.readString(agentLog));
    }

    private JsonNode awaitJob(String buildId, String key, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + BUILD_TIMEOUT.toNanos();
        JsonNode build = null;
        while (System.nanoTime() < deadline) {
            build = JSON.readTree(api("GET", "/api/v1/builds/" + buildId, null).body());
            for (JsonNode job : jobs(build)) {
                if (key.equals(job.get("key").asText()) && condition.test(job)) {
                    return job;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + key + " never matched: " + describe(build));
    }

    private String agentLogTail() {
        try {
            List<String> lines = Files.readAllLines(agentLog);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (java.io.IOException unreadable) {
            return "(agent log unreadable: " + unreadable.getMessage() + ")";
        }
    }

    private String log(JsonNode job) {
        try {
            StringBuilder text = new StringBuilder();
            long after = -1;
            for (int page = 0; page < 1000; page++) {
                JsonNode log = JSON.readTree(api("GET", "/api/v1/jobs/" + job.get("id").asText() + "/log?after=" + after, null).body());
                log.path("chunks").forEach(c -> text.append(c.get("chunk").asText()));
                if (log.path("chunks").isEmpty() || log.path("next").isNull()) {
                    break;
                }
                after = log.get("next").asLong();
            }
            return text.toString();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> api(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cloud.baseUrl() + path))
                .header("Authorization", "Bearer " + cloud.credentials().adminToken())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> jobs(JsonNode build) {
        return StreamSupport.stream(build.path("jobs").spliterator(), false).toList();
    }

    private static JsonNode job(JsonNode build, String key) {
        return jobs(build).stream().filter(j -> key.equals(j.get("key").asText()))
                .max(java.util.Comparator.comparingInt(j -> j.get("attempt").asInt()))
                .orElseThrow(() -> new AssertionError("no job " + key + " in " + describe(build)));
    }

    private static List<String> states(JsonNode build, String... keys) {
        List<String> states = new ArrayList<>();
        for (String key : keys) {
            states.add(job(build, key).get("state").asText());
        }
        return states;
    }

    private static String describe(JsonNode build) {
        if (build == null) {
            return "(no build)";
        }
        return build.path("id").asText() + " " + build.path("state").asText() + " jobs: " + jobs(build).stream()
                .map(j -> j.path("key").asText() + "#" + j.path("attempt").asInt() + "=" + j.path("state").asText()
                        + "(" + j.path("exitStatus").asText() + "," + j.path("reason").asText() + ")")
                .collect(Collectors.joining(", "));
    }
}
