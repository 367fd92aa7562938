package io.hybridci.local;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The agents {@code ./hybridci up --agents N} starts beside the local cloud, as child processes (an agent
 * is its own program in production too), each with its own work dir and log file under {@code <data>/agents}.
 * Without a built agent module it says so and starts nothing. Public for the tests that start what {@code up} starts.
 */
public final class LocalAgents implements AutoCloseable {

    private final List<Process> processes;

    private LocalAgents(List<Process> processes) {
        this.processes = List.copyOf(processes);
    }

    /** Starts {@code count} agents on queue {@code default} with the cloud's registration token; 0 starts none. */
    public static LocalAgents start(Path home, LocalCloud cloud, int count, PrintStream out) {
        if (count == 0) return new LocalAgents(List.of());
        Path classes = home.resolve("agent").resolve("target").resolve("classes");
        Path classpathFile = home.resolve("agent").resolve("target").resolve("agent-classpath.txt");
        if (!Files.isDirectory(classes) || !Files.isRegularFile(classpathFile)) {
            out.println("  agents:             --agents " + count + " accepted, but agents are not available yet"
                    + " (no built agent module; ./hybridci up --agents N builds it)");
            return new LocalAgents(List.of());
        }
        List<Process> processes = new ArrayList<>();
        try {
            String classpath = classes + java.io.File.pathSeparator + Files.readString(classpathFile).strip();
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Path agentsDir = Files.createDirectories(cloud.dataDir().resolve("agents"));
            for (int i = 1; i <= count; i++) {
                String name = "local-agent-" + i;
                ProcessBuilder builder = new ProcessBuilder(java.toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-cp", classpath, "io.hybridci.agent.Main", "--url", cloud.baseUrl(), "--queue", "default",
                        "--name", name, "--work-dir", agentsDir.resolve(name).toString())
                        .redirectErrorStream(true)
                        .redirectOutput(agentsDir.resolve(name + ".log").toFile());
                // The token goes through the environment, not the command line, which every local user can read.
                builder.environment().put("HYBRIDCI_AGENT_TOKEN", cloud.credentials().registrationToken());
                processes.add(builder.start());
            }
        } catch (java.io.IOException e) {
            processes.forEach(Process::destroy);
            throw new java.io.UncheckedIOException("cannot start the local agents", e);
        }
        out.println("  agents:             " + count + " started on queue default, logs in " + cloud.dataDir().resolve("agents"));
        return new LocalAgents(processes);
    }

    @Override
    public void close() {
        for (Process process : processes) process.destroy();
        for (Process process : processes) {
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
