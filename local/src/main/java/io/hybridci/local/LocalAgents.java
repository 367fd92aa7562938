package io.hybridci.local;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The agents {@code ./hybridci up --agents N} starts beside the local cloud, as child processes (an agent
 * is its own program in production too). Until the reference agent module exists, it says so and starts
 * nothing.
 */
final class LocalAgents implements AutoCloseable {

    private final List<Process> processes;

    private LocalAgents(List<Process> processes) {
        this.processes = List.copyOf(processes);
    }

    static LocalAgents start(Path home, LocalCloud cloud, int count, PrintStream out) {
        if (count == 0) return new LocalAgents(List.of());
        if (!Files.isRegularFile(home.resolve("agent").resolve("pom.xml"))) {
            out.println("  agents:             --agents " + count + " accepted, but agents are not available yet"
                    + " (the reference agent arrives with ./hybridci agent)");
            return new LocalAgents(List.of());
        }
        out.println("  agents:             --agents " + count + ": the agent module exists but the local cloud does not"
                + " start it yet; run it with ./hybridci agent");
        return new LocalAgents(new ArrayList<>());
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
