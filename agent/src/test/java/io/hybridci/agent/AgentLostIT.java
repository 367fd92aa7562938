package io.hybridci.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.aws.dynamodb.AgentItems;
import io.hybridci.local.LocalCloud;
import io.hybridci.local.LocalCloudOptions;
import io.hybridci.topology.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An agent killed with SIGKILL in the middle of a job: no {@code finished}, no {@code disconnect}, only silence.
 * The reaper finds it LOST once its last ping is three minutes old, fails the job with {@code agent_lost}, and
 * the default retry rule (exit status −1, limit 2) gives the step a second attempt, which a second agent runs.
 *
 * <p>Both agents are real processes. The three minutes pass on the cloud's clock, not the wall's: the test moves
 * the clock and fires the reaper's schedule itself. The second agent starts after the move, so its pings are
 * fresh on the moved clock and the reaper has no reason to lose it too.
 */
class AgentLostIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TERMINAL_BUILD = Set.of("PASSED", "FAILED", "CANCELED");
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @TempDir
    Path temp;

    private final MovableClock clock = new MovableClock();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> agents = new ArrayList<>();
    private LocalCloud cloud;

    @AfterEach
    void stop() throws Exception {
        for (Process agent : agents) {
            agent.descendants().forEach(ProcessHandle::destroyForcibly);
            agent.destroy();
            if (!agent.waitFor(30, TimeUnit.SECONDS)) agent.destroyForcibly();
        }
        if (cloud != null) cloud.close();
    }

    @Test
    void shouldRetryTheJobOnASecondAgent_whenTheFirstAgentIsKilledMidJob() throws Exception {
        Path nodeModules = Path.of(System.getProperty("basedir", ".")).resolve("../local/node_modules").normalize();
        cloud = LocalCloud.start(new LocalCloudOptions(temp.resolve("cloud"), 0, clock, List.of("default"), nodeModules,
                false, null));
        Process doomed = startAgent("doomed-agent");
        // The first attempt would sleep far past the test; the retry ends at once, so the build can pass.
        String buildId = createBuild("""
                steps:
                  - key: work
                    command: echo "attempt $HYBRIDCI_JOB_ATTEMPT"; if [ "$HYBRIDCI_JOB_ATTEMPT" = 1 ]; then sleep 600; fi; echo done
                """);
        JsonNode running = awaitJob(buildId, j -> "work".equals(j.path("key").asText()) && "RUNNING".equals(j.path("state").asText()));
        String doomedAgentId = running.path("agentId").asText();

        // SIGKILL: the agent gets no chance to report anything. Its job's bash and sleep would outlive it
        // (they are reparented, not killed), so they go too; the control plane must not hear from them either.
        List<ProcessHandle> jobProcesses = doomed.descendants().toList();
        doomed.destroyForcibly();
        assertTrue(doomed.waitFor(30, TimeUnit.SECONDS), "the doomed agent did not die");
        jobProcesses.forEach(ProcessHandle::destroyForcibly);

        clock.advance(Duration.ofMinutes(3).plusSeconds(30));
        startAgent("rescue-agent");
        cloud.triggerNow("reaper-every-minute");

        JsonNode build = awaitBuild(buildId);
        List<JsonNode> attempts = jobs(build).stream().filter(j -> "work".equals(j.path("key").asText()))
                .sorted(Comparator.comparingInt(j -> j.path("attempt").asInt())).toList();
        assertEquals("PASSED", build.path("state").asText(), () -> build.toPrettyString() + agentLogs());
        assertEquals(2, attempts.size(), build::toPrettyString);
        JsonNode lost = attempts.get(0);
        JsonNode retry = attempts.get(1);
        assertEquals("FAILED", lost.path("state").asText());
        assertEquals(-1, lost.path("exitStatus").asInt());
        assertEquals("agent_lost", lost.path("reason").asText());
        assertEquals(doomedAgentId, lost.path("agentId").asText());
        assertEquals("PASSED", retry.path("state").asText());
        assertEquals(lost.path("id").asText(), retry.path("retryOf").asText());
        assertNotEquals(doomedAgentId, retry.path("agentId").asText(), "the retry ran on the second agent");
        String retryLog = log(retry);
        assertTrue(retryLog.contains("attempt 2"), retryLog);
        assertEquals("LOST", agentState(doomedAgentId));
    }

    private Process startAgent(String name) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, Main.class.getName(), "--url", cloud.baseUrl(), "--name", name,
                "--work-dir", temp.resolve("work-" + name).toString())
                .redirectErrorStream(true).redirectOutput(temp.resolve(name + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put(Main.TOKEN_ENV, cloud.credentials().registrationToken());
        Process agent = builder.start();
        agents.add(agent);
        return agent;
    }

    private String createBuild(String pipeline) throws Exception {
        Path repo = Files.createDirectories(temp.resolve("repo/.hybridci")).getParent();
        GitCheckoutTest.git(repo, "init", "-q");
        Files.writeString(repo.resolve(".hybridci/pipeline.yml"), pipeline);
        GitCheckoutTest.git(repo, "add", ".");
        GitCheckoutTest.git(repo, "commit", "-q", "-m", "pipeline");
        String body = JSON.createObjectNode().put("repo", "acme/lost-agent").put("cloneUrl", repo.toString())
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
            for (JsonNode job : jobs(build)) {
                if (condition.test(job)) return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no job matched in " + DEADLINE + ": " + build + agentLogs());
    }

    private JsonNode awaitBuild(String buildId) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        JsonNode build = null;
        while (Instant.now().isBefore(deadline)) {
            build = JSON.readTree(api("GET", "/api/v1/builds/" + buildId, null).body());
            if (TERMINAL_BUILD.contains(build.path("state").asText())) return build;
            Thread.sleep(200);
        }
        throw new AssertionError("build did not end in " + DEADLINE + ": " + build + agentLogs());
    }

    private String log(JsonNode job) throws Exception {
        JsonNode log = JSON.readTree(api("GET", "/api/v1/jobs/" + job.path("id").asText() + "/log?after=-1", null).body());
        StringBuilder text = new StringBuilder();
        log.path("chunks").forEach(chunk -> text.append(chunk.path("chunk").asText()));
        return text.toString();
    }

    private String agentState(String agentId) {
        String table = cloud.topology().table(Topology.STATE_TABLE).name();
        return cloud.clients().dynamoDb().getItem(g -> g.tableName(table).key(AgentItems.key(agentId)).consistentRead(true))
                .item().get("state").s();
    }

    private HttpResponse<String> api(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(cloud.baseUrl() + path))
                .header("Authorization", "Bearer " + cloud.credentials().adminToken())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> jobs(JsonNode build) {
        return StreamSupport.stream(build.path("jobs").spliterator(), false).toList();
    }

    private String agentLogs() {
        StringBuilder logs = new StringBuilder();
        for (String name : List.of("doomed-agent", "rescue-agent")) {
            try {
                logs.append("\n--- ").append(name).append(" ---\n").append(Files.readString(temp.resolve(name + ".log")));
            } catch (java.io.IOException e) {
                logs.append("\n--- ").append(name).append(": no log");
            }
        }
        return logs.toString();
    }

    /** Real time plus an offset the test pushes forward: the reaper's three minutes, at once. */
    private static final class MovableClock extends Clock {
        private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

        void advance(Duration duration) {
            offset.updateAndGet(current -> current.plus(duration));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset.get());
        }
    }
}
