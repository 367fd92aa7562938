package io.hybridci.agent;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Objects;

/**
 * The agent's own log on stderr: one line per event, with the time and the worker's name.
 * Deliberately tiny (no logging framework): the agent is a long-running CLI, and nothing it
 * logs may contain a token or a signing key — {@link io.hybridci.core.security.Secret} prints as redacted.
 */
public record AgentLog(String worker, PrintStream out) {

    public AgentLog {
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(out, "out");
    }

    public static AgentLog stderr(String worker) {
        return new AgentLog(worker, System.err);
    }

    public AgentLog named(String name) {
        return new AgentLog(name, out);
    }

    public void info(String message) {
        write("INFO", message);
    }

    public void warn(String message) {
        write("WARN", message);
    }

    private void write(String level, String message) {
        out.println(Instant.now() + " " + level + " [" + worker + "] " + message);
    }
}
