package io.hybridci.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.local.LocalCloud;
import io.hybridci.local.LocalCloudOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control plane goes away while an agent runs a job, and comes back on the same data dir and port. The
 * agent keeps running the job, its pings and its {@code log} / {@code finished} messages fail while nothing
 * answers, and it retries them with backoff until they are accepted: the build ends PASSED with the whole log,
 * and nothing the agent said during the outage is lost.
 */
class ControlPlaneRestartIT {

    private static final Duration DEADLINE = Duration.ofSeconds(150);

    @TempDir
    Path temp;

    private Process agent;
    private LocalCloud cloud;
    private final CloudApi api = new CloudApi(() -> cloud, DEADLINE, this::agentLog);

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
        String buildId = api.createBuild(temp.resolve("repo"), "acme/restart", """
                steps:
                  - key: outlive
                    command: echo before; sleep 12; echo after
                """);
        api.awaitJob(buildId, j -> "outlive".equals(j.path("key").asText()) && "RUNNING".equals(j.path("state").asText()));

        cloud.close();
        cloud = null;
        Thread.sleep(15_000);  // the step finishes while nothing answers: its `finished` has nowhere to go yet
        assertTrue(agent.isAlive(), "the agent gave up while the control plane was away:" + agentLog());
        cloud = LocalCloud.start(options);

        JsonNode build = api.awaitBuild(buildId);
        assertEquals("PASSED", build.path("state").asText(), () -> build.toPrettyString() + agentLog());
        JsonNode step = CloudApi.jobs(build).stream()
                .filter(j -> "outlive".equals(j.path("key").asText())).findFirst().orElseThrow();
        assertEquals(1, step.path("attempt").asInt(), "the job was not retried: its own finished arrived");
        assertEquals(0, step.path("exitStatus").asInt());
        String log = api.log(step);
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

    private String agentLog() {
        try {
            return "\n--- agent ---\n" + Files.readString(temp.resolve("agent.log"));
        } catch (java.io.IOException e) {
            return "\n--- agent: no log";
        }
    }
}
