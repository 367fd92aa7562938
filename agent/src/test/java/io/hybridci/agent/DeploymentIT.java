package io.hybridci.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.local.LocalCloud;
import io.hybridci.local.LocalCloudOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deployments end to end (issue 9): the local cloud in this JVM, the real agent as a child process (two workers,
 * so overlapping deploys would be possible if the control plane allowed them), and a sample app in a temp git
 * repository whose "servers" are directories: {@code deploy.sh} writes the version into the colour's directory,
 * {@code health.sh} checks it (and fails when the commit carries {@code fail-health}), {@code switch.sh} writes the
 * live colour to {@code live}, {@code rollback.sh} removes the colour's directory and notes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeploymentIT {

    private static final Duration DEADLINE = Duration.ofSeconds(120);

    private static final Map<String, String> APP = Map.of(
            "deploy.sh", """
                    set -e
                    echo "start $HYBRIDCI_BUILD_ID" >> "$TARGET/trace"
                    mkdir -p "$TARGET/$HYBRIDCI_DEPLOY_COLOR"
                    sleep "${DEPLOY_SECONDS:-0}"
                    echo "$HYBRIDCI_DEPLOY_VERSION" > "$TARGET/$HYBRIDCI_DEPLOY_COLOR/version"
                    echo "end $HYBRIDCI_BUILD_ID" >> "$TARGET/trace"
                    """,
            "health.sh", """
                    test ! -e fail-health || { echo "unhealthy"; exit 1; }
                    test "$(cat "$TARGET/$HYBRIDCI_DEPLOY_COLOR/version")" = "$HYBRIDCI_DEPLOY_VERSION"
                    """,
            "switch.sh", """
                    echo "$HYBRIDCI_DEPLOY_COLOR" > "$TARGET/live"
                    """,
            "rollback.sh", """
                    rm -rf "$TARGET/$HYBRIDCI_DEPLOY_COLOR"
                    echo "$HYBRIDCI_DEPLOY_VERSION" >> "$TARGET/rolled-back"
                    """);

    @TempDir
    static Path temp;

    private LocalCloud cloud;
    private Process agent;
    private Path agentLog;
    private final CloudApi api = new CloudApi(() -> cloud, DEADLINE, this::agentLogTail);

    @BeforeAll
    void startCloudAndAgent() throws Exception {
        Path nodeModules = Path.of(System.getProperty("basedir", ".")).resolve("../local/node_modules").normalize();
        cloud = LocalCloud.start(new LocalCloudOptions(temp.resolve("cloud"), 0, Clock.systemUTC(), List.of("default"),
                nodeModules, true, null));
        agentLog = temp.resolve("agent.log");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, Main.class.getName(),
                "--url", cloud.baseUrl(), "--name", "deploy-agent", "--spawn", "2",
                "--work-dir", temp.resolve("work").toString())
                .redirectErrorStream(true).redirectOutput(agentLog.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put(Main.TOKEN_ENV, cloud.credentials().registrationToken());
        agent = builder.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (agent != null) {
            agent.descendants().forEach(ProcessHandle::destroyForcibly);
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
    void shouldDeployAfterApprovalToTheOtherColour_andRollBackThroughTheApi() throws Exception {
        Path target = Files.createDirectories(temp.resolve("servers-production"));
        Path repo = temp.resolve("app-production");
        putEnvironment("production", "{\"requireApproval\": true}");

        String firstBuild = api.createBuild(repo, "acme/app", pipeline("production", target, ""), "main", APP);
        String firstCommit = commitOf(firstBuild);
        approveWhenBlocked(firstBuild);
        assertEquals("PASSED", api.awaitBuild(firstBuild).path("state").asText());
        assertEquals("blue", read(target.resolve("live")));
        assertEquals(firstCommit, read(target.resolve("blue/version")));

        String secondBuild = api.createBuild(repo, "acme/app", pipeline("production", target, "") + "\n", "main", Map.of());
        String secondCommit = commitOf(secondBuild);
        approveWhenBlocked(secondBuild);
        assertEquals("PASSED", api.awaitBuild(secondBuild).path("state").asText());

        JsonNode environment = environment("production");
        assertEquals("green", environment.path("environment").path("liveColor").asText());
        assertEquals(secondCommit, environment.path("environment").path("liveVersion").asText());
        assertEquals("green", read(target.resolve("live")));
        assertEquals(secondCommit, read(target.resolve("green/version")));
        JsonNode history = environment.path("deployments");
        assertEquals(List.of("LIVE", "SUPERSEDED"), List.of(history.get(0).path("state").asText(),
                history.get(1).path("state").asText()));
        assertEquals("user:admin", history.get(0).path("approvedBy").asText());
        String liveId = history.get(0).path("id").asText();
        JsonNode audit = CloudApi.JSON.readTree(api.call("GET", "/api/v1/audit?entity=deployment:" + liveId, null).body());
        List<String> actors = CloudApi.jobs(CloudApi.JSON.createObjectNode().set("jobs", audit.path("records"))).stream()
                .map(record -> record.path("actor").asText()).toList();
        assertTrue(actors.contains("user:admin") && actors.stream().anyMatch(actor -> actor.startsWith("agent:")),
                () -> "the approval and the agent's phases are on the deployment's audit chain: " + audit);

        HttpResponse<String> rollback = api.call("POST", "/api/v1/environments/production/rollback", null);
        assertEquals(202, rollback.statusCode(), rollback::body);
        JsonNode rolledBack = awaitEnvironment("production",
                env -> firstCommit.equals(env.path("environment").path("liveVersion").asText()));
        assertEquals("blue", rolledBack.path("environment").path("liveColor").asText());
        assertEquals("blue", read(target.resolve("live")), "traffic is back on the previous colour");
        assertEquals(firstCommit, read(target.resolve("blue/version")), "without a rebuild: blue still holds it");
        awaitDeployment("production", deployment -> deployment.path("version").asText().equals(secondCommit)
                && deployment.path("state").asText().equals("ROLLED_BACK"));
        JsonNode verified = CloudApi.JSON.readTree(api.call("GET", "/api/v1/audit/verify", null).body());
        assertTrue(verified.path("ok").asBoolean(), verified::toString);
    }

    @Test
    void shouldRollBackAndKeepTheLiveColour_whenTheHealthCheckFails() throws Exception {
        Path target = Files.createDirectories(temp.resolve("servers-staging"));
        Path repo = temp.resolve("app-staging");
        String good = api.createBuild(repo, "acme/app", pipeline("staging", target, ""), "main", APP);
        assertEquals("PASSED", api.awaitBuild(good).path("state").asText());
        assertEquals("blue", read(target.resolve("live")));

        String bad = api.createBuild(repo, "acme/app", pipeline("staging", target, ""), "main",
                Map.of("fail-health", "yes"));
        JsonNode failed = api.awaitBuild(bad);

        assertEquals("FAILED", failed.path("state").asText());
        JsonNode ship = CloudApi.jobs(failed).stream().filter(job -> job.path("key").asText().equals("ship"))
                .findFirst().orElseThrow();
        assertTrue(api.log(ship).contains("health check failed; rolling back"), () -> logOf(ship));
        JsonNode environment = environment("staging");
        assertEquals("blue", environment.path("environment").path("liveColor").asText(), "live colour unchanged");
        assertEquals(commitOf(good), environment.path("environment").path("liveVersion").asText());
        assertEquals("ROLLED_BACK", environment.path("deployments").get(0).path("state").asText());
        assertEquals("health_check_failed", environment.path("deployments").get(0).path("reason").asText());
        assertEquals("blue", read(target.resolve("live")));
        assertTrue(Files.notExists(target.resolve("green")), "the rollback command cleaned the idle colour");
    }

    @Test
    void shouldFailTheBuild_whenTheBlockStepIsRejected() throws Exception {
        String build = api.createBuild(temp.resolve("app-rejected"), "acme/app", """
                steps:
                  - key: gate
                    block: "Release?"
                  - key: after
                    command: echo never
                    depends_on: gate
                """, "main", Map.of());
        JsonNode gate = api.awaitJob(build, job -> job.path("key").asText().equals("gate")
                && job.path("state").asText().equals("BLOCKED"));

        HttpResponse<String> rejected = api.call("POST", "/api/v1/jobs/" + gate.path("id").asText() + "/reject", null);
        assertEquals(200, rejected.statusCode(), rejected::body);

        JsonNode ended = api.awaitBuild(build);
        assertEquals("FAILED", ended.path("state").asText());
        assertEquals("SKIPPED", CloudApi.jobs(ended).stream().filter(job -> job.path("key").asText().equals("after"))
                .findFirst().orElseThrow().path("state").asText());
    }

    @Test
    void shouldNeverOverlapTwoDeploysToOneEnvironment() throws Exception {
        Path target = Files.createDirectories(temp.resolve("servers-serial"));
        String pipeline = pipeline("serial", target, "      DEPLOY_SECONDS: \"2\"\n");
        String first = api.createBuild(temp.resolve("app-serial-1"), "acme/app", pipeline, "main", APP);
        String second = api.createBuild(temp.resolve("app-serial-2"), "acme/app", pipeline, "main", APP);

        assertEquals("PASSED", api.awaitBuild(first).path("state").asText());
        assertEquals("PASSED", api.awaitBuild(second).path("state").asText());

        List<String> trace = Files.readAllLines(target.resolve("trace"));
        assertEquals(4, trace.size(), trace::toString);
        assertTrue(trace.get(0).startsWith("start ") && trace.get(1).equals("end " + trace.get(0).substring(6))
                        && trace.get(2).startsWith("start ") && trace.get(3).equals("end " + trace.get(2).substring(6)),
                () -> "deploys overlapped: " + trace);
        assertEquals("green", read(target.resolve("live")), "the second deploy went to the other colour");
    }

    @Test
    void shouldRefuseADeployFromAnotherBranch_withAClearReason() throws Exception {
        Path target = Files.createDirectories(temp.resolve("servers-protected"));
        putEnvironment("protected", "{\"allowedBranches\": [\"main\"]}");

        String build = api.createBuild(temp.resolve("app-protected"), "acme/app", pipeline("protected", target, ""),
                "feature/risky", APP);
        JsonNode ended = api.awaitBuild(build);

        assertEquals("FAILED", ended.path("state").asText());
        JsonNode ship = CloudApi.jobs(ended).stream().filter(job -> job.path("key").asText().equals("ship"))
                .findFirst().orElseThrow();
        assertEquals("FAILED", ship.path("state").asText());
        assertEquals("environment \"protected\" allows deploys only from branches main; this build is on branch "
                + "\"feature/risky\"", ship.path("reason").asText());
        assertTrue(Files.notExists(target.resolve("trace")), "nothing was deployed");
    }

    // ------------------------------------------------------------------ helpers

    private static String pipeline(String environment, Path target, String extraEnv) {
        return """
                steps:
                  - key: test
                    command: echo tested
                  - key: ship
                    depends_on: test
                    command: bash deploy.sh
                    env:
                      TARGET: "%s"
                %s    deploy:
                      environment: %s
                      strategy: blue-green
                      health_check: bash health.sh
                      switch: bash switch.sh
                      rollback: bash rollback.sh
                """.formatted(target, extraEnv, environment);
    }

    private void putEnvironment(String name, String body) throws Exception {
        HttpResponse<String> put = api.call("PUT", "/api/v1/environments/" + name, body);
        assertTrue(put.statusCode() == 200 || put.statusCode() == 201, put::body);
    }

    private void approveWhenBlocked(String buildId) throws Exception {
        JsonNode blocked = api.awaitJob(buildId, job -> job.path("key").asText().equals("ship")
                && job.path("state").asText().equals("BLOCKED"));
        HttpResponse<String> approved = api.call("POST", "/api/v1/jobs/" + blocked.path("id").asText() + "/approve", null);
        assertEquals(200, approved.statusCode(), approved::body);
    }

    private String commitOf(String buildId) throws Exception {
        return CloudApi.JSON.readTree(api.call("GET", "/api/v1/builds/" + buildId, null).body()).path("commit").asText();
    }

    private JsonNode environment(String name) throws Exception {
        HttpResponse<String> response = api.call("GET", "/api/v1/environments/" + name, null);
        assertEquals(200, response.statusCode(), response::body);
        return CloudApi.JSON.readTree(response.body());
    }

    private JsonNode awaitEnvironment(String name, Predicate<JsonNode> condition) throws Exception {
        Instant end = Instant.now().plus(DEADLINE);
        JsonNode environment = null;
        while (Instant.now().isBefore(end)) {
            environment = environment(name);
            if (condition.test(environment)) {
                return environment;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("environment " + name + " never matched: " + environment + agentLogTail());
    }

    private void awaitDeployment(String environment, Predicate<JsonNode> condition) throws Exception {
        awaitEnvironment(environment, env -> CloudApi.jobs(wrap(env.path("deployments"))).stream().anyMatch(condition));
    }

    private static JsonNode wrap(JsonNode deployments) {
        return CloudApi.JSON.createObjectNode().set("jobs", deployments);
    }

    private static String read(Path file) throws Exception {
        return Files.readString(file).strip();
    }

    private String logOf(JsonNode job) {
        try {
            return api.log(job);
        } catch (Exception e) {
            return e.toString();
        }
    }

    private String agentLogTail() {
        try {
            List<String> lines = Files.readAllLines(agentLog);
            return "\nagent log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (Exception e) {
            return "";
        }
    }
}
