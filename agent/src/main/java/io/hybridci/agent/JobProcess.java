package io.hybridci.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A job's command, {@code bash -c COMMAND}, started with {@code setsid} so it leads its own process
 * group: a cancel then signals every process the command started (a test runner and its forks),
 * not just bash, and a Ctrl-C or SIGTERM sent to the agent's own group does not reach the job
 * behind the agent's back. stdout and stderr go, merged in arrival order, to a {@link LogBatcher}.
 */
public final class JobProcess {

    /** How a command ended: an exit status, or −1 and the signal that killed it. */
    public record Outcome(int exitStatus, String signal) {

        public static Outcome exited(int status) {
            return new Outcome(status, null);
        }

        public static Outcome killedBy(String signal) {
            return new Outcome(-1, Objects.requireNonNull(signal, "signal"));
        }
    }

    /**
     * After the command exits, how long to wait for the end of its output. A background process it
     * left behind may hold the pipe open forever; past this, the group is killed.
     */
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);

    private final Process process;
    private final Thread reader;
    private final LogBatcher log;
    private volatile String signalSent;

    private JobProcess(Process process, LogBatcher log) {
        this.process = process;
        this.log = log;
        this.reader = Thread.ofPlatform().daemon().name("job-output-" + process.pid()).start(this::pump);
    }

    /**
     * Starts {@code bash -c command} in {@code workDir}. The agent's environment is inherited (as
     * every CI agent does, so PATH and HOME work) except its own token; {@code env} is added on top.
     */
    public static JobProcess start(String command, Path workDir, Map<String, String> env, LogBatcher log)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(List.of("setsid", "bash", "-c", command))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> environment = builder.environment();
        environment.remove(Main.TOKEN_ENV);
        environment.putAll(env);
        return new JobProcess(builder.start(), log);
    }

    /** The process (and process group) id. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits for the command to end and its output to be handed to the log.
     * The exit status of a command killed by our own signal is reported as that signal.
     */
    public Outcome waitFor() throws InterruptedException {
        int status = process.waitFor();
        reader.join(OUTPUT_DRAIN.toMillis());
        if (reader.isAlive()) {
            killGroup("KILL");
            reader.join();
        }
        String sent = signalSent;
        // Java reports a death by signal N as 128 + N, as a shell does; only when we sent a signal
        // do we know that 143 means SIGTERM and not "exit 143".
        if (sent != null && status > 128 && status <= 128 + 64) {
            return Outcome.killedBy(signalName(status - 128));
        }
        return Outcome.exited(status);
    }

    /**
     * Cancels the command: SIGTERM to its process group now, SIGKILL after {@code grace} if it is
     * still running. Returns at once; {@link #waitFor} tells how it ended. Repeated calls do nothing.
     */
    public synchronized void cancel(Duration grace) {
        if (signalSent != null || !process.isAlive()) {
            return;
        }
        signalGroup("TERM");
        Thread.ofVirtual().name("job-kill-" + process.pid()).start(() -> {
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    signalGroup("KILL");
                }
            } catch (InterruptedException e) {
                signalGroup("KILL");
            }
        });
    }

    private void signalGroup(String signal) {
        signalSent = "SIG" + signal;
        killGroup(signal);
    }

    private void killGroup(String signal) {
        try {
            // kill(1) with a negative pid signals the whole group; the JDK can only signal one process.
            Process kill = new ProcessBuilder("kill", "-s", signal, "--", "-" + process.pid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // Without kill(1), at least the leader goes.
            if ("KILL".equals(signal)) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
        }
    }

    private void pump() {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                log.append(buffer, 0, n);
            }
        } catch (IOException | InterruptedException e) {
            // The pipe broke (the group was killed) or the batcher stopped: the output ends here.
        }
    }

    /** The conventional name of a Linux signal number. */
    static String signalName(int number) {
        return switch (number) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 3 -> "SIGQUIT";
            case 4 -> "SIGILL";
            case 5 -> "SIGTRAP";
            case 6 -> "SIGABRT";
            case 7 -> "SIGBUS";
            case 8 -> "SIGFPE";
            case 9 -> "SIGKILL";
            case 10 -> "SIGUSR1";
            case 11 -> "SIGSEGV";
            case 12 -> "SIGUSR2";
            case 13 -> "SIGPIPE";
            case 14 -> "SIGALRM";
            case 15 -> "SIGTERM";
            case 24 -> "SIGXCPU";
            case 25 -> "SIGXFSZ";
            default -> "SIG" + number;
        };
    }
}
