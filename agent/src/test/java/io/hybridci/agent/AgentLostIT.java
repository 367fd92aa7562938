package io.hybridci.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.aws.dynamodb.AgentItems;
import io.hybridci.local.LocalCloud;
import io.hybridci.local.MutableClock;
import io.hybridci.local.LocalCloudOptions;
import io.hybridci.topology.Topology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @TempDir
    Path temp;

    private final MutableClock clock = new MutableClock();
    private final List<Process> agents = new ArrayList<>();
    private LocalCloud cloud;
    private final CloudApi api = new CloudApi(() -> cloud, DEADLINE, this::agentLogs);

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
        String buildId = api.createBuild(temp.resolve("repo"), "acme/lost-agent", """
                steps:
                  - key: work
                    command: echo "attempt $HYBRIDCI_JOB_ATTEMPT"; if [ "$HYBRIDCI_JOB_ATTEMPT" = 1 ]; then sleep 600; fi; echo done
                """);
        JsonNode running = api.awaitJob(buildId, j -> "work".equals(j.path("key").asText()) && "RUNNING".equals(j.path("state").asText()));
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

        JsonNode build = api.awaitBuild(buildId);
        List<JsonNode> attempts = CloudApi.jobs(build).stream().filter(j -> "work".equals(j.path("key").asText()))
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
        String retryLog = api.log(retry);
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

    private String agentState(String agentId) {
        String table = cloud.topology().table(Topology.STATE_TABLE).name();
        return cloud.clients().dynamoDb().getItem(g -> g.tableName(table).key(AgentItems.key(agentId)).consistentRead(true))
                .item().get("state").s();
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
}
