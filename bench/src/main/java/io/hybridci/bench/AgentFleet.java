package io.hybridci.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Real reference agents ({@code io.hybridci.agent.Main}), one process each, for the chaos run: started with
 * the classpath {@code ./hybridci agent} uses when it has been built ({@code agent/target/agent-classpath.txt}),
 * else this JVM's own; killed with SIGKILL ({@link Process#destroyForcibly()} on Linux), their job's
 * processes with them, so the control plane hears nothing more from either.
 */
final class AgentFleet implements AutoCloseable {

    private final String url;
    private final String registrationToken;
    private final Path dir;
    private final String classpath;
    private final List<Process> live = new ArrayList<>();
    private int started;
    private int killed;

    AgentFleet(String url, String registrationToken, Path dir, Path home) {
        this.url = url;
        this.registrationToken = registrationToken;
        this.dir = dir;
        this.classpath = agentClasspath(home);
    }

    /** The launcher's classpath of the agent when it exists, else this JVM's (tests: the agent module is on it). */
    private static String agentClasspath(Path home) {
        Path file = home.resolve("agent/target/agent-classpath.txt");
        Path classes = home.resolve("agent/target/classes");
        try {
            if (Files.isRegularFile(file) && Files.isDirectory(classes)) {
                return classes + File.pathSeparator + Files.readString(file).strip();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** Starts one more agent process on queue {@code default}. */
    synchronized void startOne() {
        String name = "chaos-agent-" + (++started);
        try {
            Files.createDirectories(dir);
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx128m", "-cp", classpath, "io.hybridci.agent.Main",
                    "--url", url, "--name", name, "--work-dir", dir.resolve("work-" + name).toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            // The token through the environment, not the command line, where ps would show it.
            builder.environment().put("HYBRIDCI_AGENT_TOKEN", registrationToken);
            live.add(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start agent " + name, e);
        }
    }

    /**
     * SIGKILL to a random live agent and to its job's processes (which would otherwise be reparented and go on
     * reporting nothing, but writing markers), then a replacement, so the fleet keeps its size.
     */
    synchronized void killOneAndReplace(Random random) {
        if (live.isEmpty()) return;
        Process doomed = live.remove(random.nextInt(live.size()));
        List<ProcessHandle> children = doomed.descendants().toList();
        doomed.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            doomed.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        killed++;
        startOne();
    }

    synchronized int killed() {
        return killed;
    }

    synchronized int started() {
        return started;
    }

    /** Agents that died without being killed (a crash is a finding). */
    synchronized long crashed() {
        return live.stream().filter(p -> !p.isAlive()).count();
    }

    /** The last lines of every agent log, for a failure's message. */
    String tails(int lines) {
        StringBuilder text = new StringBuilder();
        try (var logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                List<String> all = Files.readAllLines(log);
                text.append("\n--- ").append(log.getFileName()).append(" ---\n")
                        .append(String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())));
            }
        } catch (IOException e) {
            text.append("\n(agent logs unreadable: ").append(e).append(')');
        }
        return text.toString();
    }

    @Override
    public synchronized void close() {
        for (Process agent : live) {
            agent.descendants().forEach(ProcessHandle::destroyForcibly);
            agent.destroy();
        }
        for (Process agent : live) {
            try {
                if (!agent.waitFor(20, TimeUnit.SECONDS)) agent.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                agent.destroyForcibly();
            }
        }
        live.clear();
    }
}
