package io.hybridci.core.deployment;

import io.hybridci.core.statemachine.Transition;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Provide
    Arbitrary<List<Integer>> verbs() {
        return Arbitraries.integers().between(0, 8).list().ofMaxSize(30);
    }

    @Property(tries = 500)
    void movesFollowTheTableAndTerminalStatesAreAbsorbing(@ForAll("verbs") List<Integer> verbs,
                                                          @ForAll boolean gated) {
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
