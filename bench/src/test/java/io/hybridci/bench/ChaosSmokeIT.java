package io.hybridci.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CI version of {@code ./hybridci chaos}: the same code with 16 builds, two real agent processes, three
 * SIGKILLs, one control-plane restart, a third of the SQS receives and webhooks delivered twice, and one
 * poison message of each kind. Every check of the full run must hold, and every fault must really have
 * happened (a run that injected nothing would prove nothing).
 */
class ChaosSmokeIT {

    @TempDir
    Path temp;

    @Test
    void shouldHoldEveryCheck_whenAgentsDieTheControlPlaneRestartsAndMessagesArriveTwice() throws Exception {
        ChaosRun.Options options = new ChaosRun.Options(16, 2, 20261202L, 3, 1, 0.3, 0.3, 1, 6,
                temp.resolve("chaos.json"));

        ChaosRun.Report report = ChaosRun.run(options);
        ChaosMain.write(report, options.json());

        String printed = ChaosMain.render(report);
        System.out.println(printed);
        assertTrue(Files.size(options.json()) > 0);
        for (ChaosRun.Check check : report.checks()) assertTrue(check.ok(), check.name() + ": " + check.detail() + "\n" + printed);
        assertTrue(report.passed(), printed);
        assertEquals(16, report.counts().get("buildsPushed"), printed);
        assertEquals(3, report.faults().get("agentsKilled"), printed);
        assertEquals(1, report.faults().get("controlPlaneRestarts"), printed);
        assertTrue(((Number) report.faults().get("esmMessagesRedelivered")).longValue() > 0, "no SQS message was delivered twice\n" + printed);
        assertTrue(((Number) report.faults().get("webhooksRedelivered")).longValue() > 0, "no webhook was re-delivered\n" + printed);
        assertEquals(12, report.faults().get("poisonAgentUpdates"), "six kinds, injected at a third and two thirds of the run\n" + printed);
        assertEquals(2, report.faults().get("poisonBusEvents"), printed);
        assertEquals(4, report.faults().get("poisonJobQueueMessages"), "two kinds, at a third and two thirds\n" + printed);
        assertTrue(((Number) report.counts().get("retriesRecorded")).longValue() >= 0, printed);
        assertTrue(List.of("every build is in a terminal state", "no job ran twice except as a recorded retry", "no transition applied twice",
                "the audit chain verifies", "every poison agent message is kept in agent-updates-dlq, with its code, and shown by the API",
                "every poison job-queue message is dead-lettered in jobs-default-dlq and shown by the API").stream().allMatch(name -> report.checks().stream().anyMatch(c -> c.name().equals(name))), printed);
    }
}
