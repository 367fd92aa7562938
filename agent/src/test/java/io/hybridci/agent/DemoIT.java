package io.hybridci.agent;

import io.hybridci.local.Demo;
import io.hybridci.local.LocalAgents;
import io.hybridci.local.LocalCloud;
import io.hybridci.local.LocalCloudOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./hybridci demo} against what {@code ./hybridci up} starts: a local cloud and one agent started by
 * {@link LocalAgents} (the built agent module, queue {@code default}, the generated registration token).
 */
class DemoIT {

    private static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    private static final Path HOME = MODULE.getParent();

    @TempDir
    Path temp;

    @Test
    void shouldPassTheDemoBuildAndListEveryJob_whenUpsDefaultAgentRunsIt() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        Demo.Result result;
        try (LocalCloud cloud = LocalCloud.start(new LocalCloudOptions(temp.resolve("data"), 0, Clock.systemUTC(),
                List.of("default"), HOME.resolve("local/node_modules"), true, null));
             LocalAgents agents = LocalAgents.start(HOME, cloud, 1, out)) {
            result = new Demo(new Demo.Options(URI.create(cloud.baseUrl()), cloud.dataDir(), Duration.ofSeconds(150)), out).run();
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        String agentLog = Files.isRegularFile(temp.resolve("data/agents/local-agent-1.log"))
                ? Files.readString(temp.resolve("data/agents/local-agent-1.log")) : "(no agent log)";

        assertTrue(output.contains("1 started on queue default"), output);
        assertEquals("PASSED", result.state(), () -> output + "\nagent log:\n" + agentLog);
        assertEquals(Set.of("bootstrap", "hello", "test", "many-lines", "package"), Set.copyOf(result.jobKeys()), output);
        for (String job : List.of("bootstrap", "hello", "test", "many-lines", "package")) {
            assertTrue(output.lines().anyMatch(line -> line.contains(" " + job + " ") && line.contains("PASSED")),
                    () -> job + " has no PASSED line in:\n" + output);
        }
        assertTrue(output.contains("demo: build " + result.buildId() + " PASSED in "), output);
        assertTrue(Files.isDirectory(temp.resolve("data").resolve("demo-repo/.git")), "the sample repository lives in the data dir");
    }
}
