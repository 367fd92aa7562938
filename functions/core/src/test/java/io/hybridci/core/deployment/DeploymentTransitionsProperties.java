package io.hybridci.core.deployment;

import io.hybridci.core.statemachine.Transition;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/** Invariants of the deployment state machine over random event sequences. */
class DeploymentTransitionsProperties {

    private static DeploymentEvent event(int verb, Instant at) {
        String updater = "system:job-updater";
        return switch (verb) {
            case 0 -> new DeploymentEvent.Approve("user:u", at);
            case 1 -> new DeploymentEvent.Reject("user:u", "no", at);
            case 2 -> new DeploymentEvent.StartDeploy(at, updater);
            case 3 -> new DeploymentEvent.StartVerify(at, updater);
            case 4 -> new DeploymentEvent.HealthPassed(at, updater);
            case 5 -> new DeploymentEvent.HealthFailed("503", at, updater);
            case 6 -> new DeploymentEvent.Fail("exit 1", at, updater);
            case 7 -> new DeploymentEvent.RolledBack("errors", at, "user:u");
            default -> new DeploymentEvent.Supersede("d2", at, updater);
        };
    }

    /** Up to 30 events of the nine kinds. */
    static Gen<List<Integer>> verbs() {
        return lists().of(integers().between(0, 8)).ofSizeBetween(0, 30);
    }

    @Test
    void movesFollowTheTableAndTerminalStatesAreAbsorbing() {
        qt().withExamples(500).forAll(verbs(), booleans().all())
                .checkAssert(DeploymentTransitionsProperties::movesFollowTheTableAndTerminalStatesAreAbsorbing);
    }

    private static void movesFollowTheTableAndTerminalStatesAreAbsorbing(List<Integer> verbs, boolean gated) {
        Instant at = DeploymentTransitionsTest.T0;
        Deployment deployment = Deployment.requested("d1", "prod", "abc", Color.BLUE, "b1", "j1", gated, at, "system:p");
        for (int verb : verbs) {
            at = at.plusSeconds(1);
            DeploymentEvent event = event(verb, at);
            Transition<Deployment> result = DeploymentTransitions.apply(deployment, event);
            if (deployment.state().isTerminal()) {
                assertInstanceOf(Transition.Rejected.class, result);
            }
            if (result instanceof Transition.Moved<Deployment>(Deployment next)) {
                assertTrue(DeploymentTransitions.allowed().get(deployment.state()).contains(next.state()),
                        deployment.state() + " -> " + next.state() + " on " + event);
                assertEquals(deployment.version() + 1, next.version());
                if (next.state() == DeploymentState.LIVE) {
                    assertNotNull(next.liveAt());
                    assertTrue(!gated || next.approvedBy() != null, "a gated deployment went live unapproved");
                }
                deployment = next;
            }
        }
    }
}
