package io.hybridci.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.local.LocalCloud;
import io.hybridci.local.LocalCloudOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 10, "priority order of dispatch among queued jobs": jobs of two builds wait on agent queue {@code prio},
 * which no agent serves yet (an agent on {@code default} runs the bootstrap jobs only); then one real agent
 * ({@code --spawn 1}) comes for {@code prio} and must run the high-priority jobs — a step's own {@code priority}
 * and a whole build's top-level {@code priority} — before the others, though they were queued first.
 */
class PriorityDispatchIT {

    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @TempDir
    Path temp;

    private final List<Process> agents = new ArrayList<>();
    private final List<String> agentNames = new ArrayList<>();
    private LocalCloud cloud;
    private final CloudApi api = new CloudApi(() -> cloud, DEADLINE, this::agentLogs);

    @AfterEach
    void stop() throws Exception {
        for (Process agent : agents) {
            agent.destroy();
            if (!agent.waitFor(30, TimeUnit.SECONDS)) agent.destroyForcibly();
        }
        if (cloud != null) cloud.close();
    }

    @Test
    void shouldRunHighPriorityJobsFirst_whenJobsWaitedForAnAgentOfTheirQueue() throws Exception {
        Path nodeModules = Path.of(System.getProperty("basedir", ".")).resolve("../local/node_modules").normalize();
        cloud = LocalCloud.start(new LocalCloudOptions(temp.resolve("cloud"), 0, Clock.systemUTC(),
                List.of("default", "prio"), nodeModules, false, null));
        startAgent("bootstrap-agent", "default", 2);
        Path order = temp.resolve("order.txt");
        String record = "echo \"$HYBRIDCI_JOB_KEY\" >> " + order;

        // Queued first, so an agent that ignored priorities would run these first.
        String routine = api.createBuild(temp.resolve("routine"), "acme/routine", """
                steps:
                  - key: routine-1
                    command: %1$s
                    agents: {queue: prio}
                  - key: routine-2
                    command: %1$s
                    agents: {queue: prio}
                    priority: -3
                  - key: urgent-step
                    command: %1$s
                    agents: {queue: prio}
                    priority: 5
                """.formatted(record));
        awaitQueued(routine, 3);
        String hotfix = api.createBuild(temp.resolve("hotfix"), "acme/hotfix", """
                priority: 2
                steps:
                  - key: hotfix-1
                    command: %1$s
                    agents: {queue: prio}
                  - key: hotfix-2
                    command: %1$s
                    agents: {queue: prio}
                """.formatted(record));
        awaitQueued(hotfix, 2);

        startAgent("prio-agent", "prio", 1);
        JsonNode routineBuild = api.awaitBuild(routine);
        JsonNode hotfixBuild = api.awaitBuild(hotfix);
        assertEquals("PASSED", routineBuild.path("state").asText(), routineBuild::toPrettyString);
        assertEquals("PASSED", hotfixBuild.path("state").asText(), hotfixBuild::toPrettyString);

        // The order the jobs ran in, as the jobs themselves wrote it, and as the control plane recorded their starts.
        List<String> ran = Files.readAllLines(order);
        List<JsonNode> prioJobs = new ArrayList<>();
        for (JsonNode build : List.of(routineBuild, hotfixBuild)) {
            CloudApi.jobs(build).stream().filter(job -> !job.path("key").asText().equals("bootstrap")).forEach(prioJobs::add);
        }
        List<String> started = prioJobs.stream()
                .sorted(Comparator.comparing(job -> Instant.parse(job.path("startedAt").asText())))
                .map(job -> job.path("key").asText()).toList();
        Set<String> high = Set.of("urgent-step", "hotfix-1", "hotfix-2");
        Set<String> normal = Set.of("routine-1", "routine-2");
        assertEquals(5, ran.size(), () -> ran + agentLogs());
        assertEquals(high, Set.copyOf(ran.subList(0, 3)), () -> "ran " + ran + agentLogs());
        assertEquals(normal, Set.copyOf(ran.subList(3, 5)), () -> "ran " + ran + agentLogs());
        assertEquals(ran, started, "the order of RUNNING the control plane recorded");
        assertEquals(1, prioJobs.stream().map(job -> job.path("agentId").asText()).distinct().count(),
                "one agent (--spawn 1) ran every prio job");
    }

    /** Waits until the build's {@code count} pipeline jobs are QUEUED with their message sent. */
    private void awaitQueued(String buildId, int count) throws Exception {
        Instant end = Instant.now().plus(DEADLINE);
        while (Instant.now().isBefore(end)) {
            JsonNode build = build(buildId);
            long queued = CloudApi.jobs(build).stream()
                    .filter(job -> !job.path("key").asText().equals("bootstrap"))
                    .filter(job -> job.path("state").asText().equals("QUEUED")).count();
            if (queued == count) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the jobs of " + buildId + " were not queued in " + DEADLINE + agentLogs());
    }

    private JsonNode build(String buildId) throws Exception {
        return CloudApi.JSON.readTree(api.call("GET", "/api/v1/builds/" + buildId, null).body());
    }

    private void startAgent(String name, String queue, int spawn) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, Main.class.getName(), "--url", cloud.baseUrl(), "--name", name,
                "--queue", queue, "--spawn", Integer.toString(spawn),
                "--work-dir", temp.resolve("work-" + name).toString())
                .redirectErrorStream(true).redirectOutput(temp.resolve(name + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put(Main.TOKEN_ENV, cloud.credentials().registrationToken());
        agents.add(builder.start());
        agentNames.add(name);
    }

    private String agentLogs() {
        StringBuilder logs = new StringBuilder();
        for (String name : agentNames) {
            try {
                logs.append("\n--- ").append(name).append(" ---\n").append(Files.readString(temp.resolve(name + ".log")));
            } catch (java.io.IOException e) {
                logs.append("\n--- ").append(name).append(": no log");
            }
        }
        return logs.toString();
    }
}
