package io.hybridci.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobProcessTest {

    @TempDir
    Path dir;

    private final List<String> chunks = Collections.synchronizedList(new ArrayList<>());

    private LogBatcher log() {
        return new LogBatcher((text, offset) -> chunks.add(text), 64 * 1024, Duration.ofMillis(100), 1024 * 1024);
    }

    private String output() {
        return String.join("", chunks);
    }

    @Test
    void shouldReportTheExitStatusAndOutput_whenTheCommandEnds() throws Exception {
        LogBatcher log = log();
        JobProcess process = JobProcess.start("echo out; echo err >&2; exit 3", dir, Map.of(), log);

        JobProcess.Outcome outcome = process.waitFor();
        log.close();

        assertEquals(JobProcess.Outcome.exited(3), outcome);
        assertTrue(output().contains("out\n") && output().contains("err\n"), output());
    }

    @Test
    void shouldPassTheJobEnvironmentButNotTheAgentToken_whenRunning() throws Exception {
        LogBatcher log = log();
        JobProcess process = JobProcess.start("echo \"$HYBRIDCI_JOB_ID/$GREETING/${" + Main.TOKEN_ENV + ":-none}\"; pwd",
                dir, Map.of("HYBRIDCI_JOB_ID", "j-1", "GREETING", "hi there"), log);

        assertEquals(0, process.waitFor().exitStatus());
        log.close();

        assertTrue(output().startsWith("j-1/hi there/none\n"), output());
        assertTrue(output().contains(dir.toRealPath().toString()), output());
    }

    @Test
    void shouldEndWithSigterm_whenASleepingCommandIsCanceled() throws Exception {
        LogBatcher log = log();
        JobProcess process = JobProcess.start("sleep 60", dir, Map.of(), log);
        Thread.sleep(200);
        long start = System.nanoTime();

        process.cancel(Duration.ofSeconds(10));
        JobProcess.Outcome outcome = process.waitFor();
        log.close();

        assertEquals(JobProcess.Outcome.killedBy("SIGTERM"), outcome);
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "SIGTERM alone ended it");
    }

    @Test
    void shouldSigkillTheWholeGroupAfterTheGrace_whenTheCommandIgnoresSigterm() throws Exception {
        LogBatcher log = log();
        // Ignored signals stay ignored across exec: neither bash nor its sleeps react to SIGTERM.
        JobProcess process = JobProcess.start("trap '' TERM; sleep 60 & sleep 60 & echo ready; wait", dir, Map.of(), log);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!output().contains("ready") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<ProcessHandle> children = ProcessHandle.of(process.pid()).orElseThrow().descendants().toList();
        assertEquals(2, children.size(), "two sleeps running");
        long start = System.nanoTime();

        process.cancel(Duration.ofMillis(700));
        JobProcess.Outcome outcome = process.waitFor();
        log.close();

        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(JobProcess.Outcome.killedBy("SIGKILL"), outcome);
        assertTrue(tookMillis >= 600 && tookMillis < 5000, "killed after the grace, took " + tookMillis + " ms");
        for (ProcessHandle child : children) {
            assertFalse(runningAfter(child, Duration.ofSeconds(2)), "child " + child.pid() + " of the group was killed too");
        }
    }

    /**
     * Whether the process still runs after {@code wait}. A killed orphan may stay a zombie for a while
     * (a container's PID 1 does not always reap): a zombie runs nothing, so it counts as ended.
     */
    private static boolean runningAfter(ProcessHandle process, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
            if (!java.nio.file.Files.exists(stat)) {
                return false;
            }
            String text = java.nio.file.Files.readString(stat);
            char state = text.charAt(text.lastIndexOf(')') + 2);
            if (state == 'Z' || state == 'X') {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Test
    void shouldNameSignals_whenMappingNumbers() {
        assertEquals("SIGTERM", JobProcess.signalName(15));
        assertEquals("SIGKILL", JobProcess.signalName(9));
        assertEquals("SIG40", JobProcess.signalName(40));
    }
}
