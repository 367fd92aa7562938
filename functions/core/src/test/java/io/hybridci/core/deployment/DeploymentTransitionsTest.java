package io.hybridci.core.deployment;

import io.hybridci.core.deployment.DeploymentEvent.Approve;
import io.hybridci.core.deployment.DeploymentEvent.Fail;
import io.hybridci.core.deployment.DeploymentEvent.HealthFailed;
import io.hybridci.core.deployment.DeploymentEvent.HealthPassed;
import io.hybridci.core.deployment.DeploymentEvent.Reject;
import io.hybridci.core.deployment.DeploymentEvent.RolledBack;
import io.hybridci.core.deployment.DeploymentEvent.StartDeploy;
import io.hybridci.core.deployment.DeploymentEvent.StartVerify;
import io.hybridci.core.deployment.DeploymentEvent.Supersede;
import io.hybridci.core.statemachine.RejectionReason;
import io.hybridci.core.statemachine.Transition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.hybridci.core.deployment.DeploymentState.DEPLOYING;
import static io.hybridci.core.deployment.DeploymentState.FAILED;
import static io.hybridci.core.deployment.DeploymentState.LIVE;
import static io.hybridci.core.deployment.DeploymentState.PENDING_APPROVAL;
import static io.hybridci.core.deployment.DeploymentState.ROLLED_BACK;
import static io.hybridci.core.deployment.DeploymentState.SUPERSEDED;
import static io.hybridci.core.deployment.DeploymentState.VERIFYING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class DeploymentTransitionsTest {

    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant AT = T0.plusSeconds(30);
    private static final String USER = "user:alice";
    private static final String UPDATER = "system:job-updater";

    static Deployment deployment(DeploymentState state, boolean gated) {
        Deployment requested = Deployment.requested("d1", "production", "abc123", Color.GREEN, "b1", "j1", gated, T0,
                "system:build-planner");
        return new Deployment(requested.id(), requested.environment(), requested.commit(), requested.color(),
                requested.buildId(), requested.jobId(), state, gated, null, null, T0, null, null, null, 1, T0,
                requested.lastActor());
    }

    static List<Arguments> edges() {
        return List.of(
                Arguments.of(deployment(PENDING_APPROVAL, true), new Approve(USER, AT), PENDING_APPROVAL),
                Arguments.of(deployment(PENDING_APPROVAL, false), new StartDeploy(AT, UPDATER), DEPLOYING),
                Arguments.of(deployment(PENDING_APPROVAL, true), new Reject(USER, "not today", AT), FAILED),
                Arguments.of(deployment(PENDING_APPROVAL, true), new Supersede("d2", AT, UPDATER), SUPERSEDED),
                Arguments.of(deployment(DEPLOYING, true), new StartVerify(AT, UPDATER), VERIFYING),
                Arguments.of(deployment(DEPLOYING, true), new Fail("exit 1", AT, UPDATER), FAILED),
                Arguments.of(deployment(VERIFYING, true), new HealthPassed(AT, UPDATER), LIVE),
                Arguments.of(deployment(VERIFYING, true), new HealthFailed("503", AT, UPDATER), ROLLED_BACK),
                Arguments.of(deployment(VERIFYING, true), new Fail("exit 1", AT, UPDATER), FAILED),
                Arguments.of(deployment(LIVE, true), new RolledBack("errors up", AT, USER), ROLLED_BACK),
                Arguments.of(deployment(LIVE, true), new Supersede("d2", AT, UPDATER), SUPERSEDED));
    }

    @ParameterizedTest(name = "{0} --{1}--> {2}")
    @MethodSource("edges")
    void shouldMoveAlongTheEdge_whenEventIsInTheTable(Deployment before, DeploymentEvent event, DeploymentState to) {
        Deployment after = DeploymentTransitions.apply(before, event).orElseThrow();

        assertEquals(to, after.state());
        assertEquals(before.version() + 1, after.version());
        assertEquals(event.actor(), after.lastActor());
        assertEquals(to.isTerminal(), after.finishedAt() != null);
    }

    @Test
    void shouldListExactlyTheTestedEdges_whenAllowedTableIsExposedAsData() {
        Map<DeploymentState, Set<DeploymentState>> tested = new EnumMap<>(DeploymentState.class);
        for (DeploymentState state : DeploymentState.values()) {
            tested.put(state, EnumSet.noneOf(DeploymentState.class));
        }
        edges().forEach(arguments ->
                tested.get(((Deployment) arguments.get()[0]).state()).add((DeploymentState) arguments.get()[2]));

        assertEquals(tested, DeploymentTransitions.allowed());
    }

    @Test
    void shouldRequireAnApproval_whenTheEnvironmentIsGated() {
        assertRejected(RejectionReason.APPROVAL_REQUIRED,
                DeploymentTransitions.apply(deployment(PENDING_APPROVAL, true), new StartDeploy(AT, UPDATER)));
    }

    @Test
    void shouldRecordTheApprover_andTreatASecondApprovalAsDuplicate() {
        Deployment approved = DeploymentTransitions.apply(deployment(PENDING_APPROVAL, true), new Approve(USER, AT))
                .orElseThrow();

        assertEquals(USER, approved.approvedBy());
        assertEquals(PENDING_APPROVAL, approved.state());
        assertEquals(null, approved.deployStartedAt());
        assertRejected(RejectionReason.ALREADY_APPLIED,
                DeploymentTransitions.apply(approved, new Approve("user:bob", AT)));
    }

    @Test
    void shouldStartToTheChosenColour_onlyOnceApproved() {
        Deployment approved = DeploymentTransitions.apply(deployment(PENDING_APPROVAL, true), new Approve(USER, AT))
                .orElseThrow();
        Deployment started = DeploymentTransitions.apply(approved,
                new StartDeploy(Color.BLUE, "d0", AT.plusSeconds(1), UPDATER)).orElseThrow();

        assertEquals(DEPLOYING, started.state());
        assertEquals(Color.BLUE, started.color());
        assertEquals("d0", started.replaces());
        assertEquals(USER, started.approvedBy());
        assertEquals(AT.plusSeconds(1), started.deployStartedAt());
    }

    @Test
    void shouldGoLiveThroughVerification_whenHealthChecksPass() {
        Deployment deployment = deployment(PENDING_APPROVAL, false);
        for (DeploymentEvent event : List.<DeploymentEvent>of(new StartDeploy(AT, UPDATER),
                new StartVerify(AT.plusSeconds(1), UPDATER), new HealthPassed(AT.plusSeconds(2), UPDATER))) {
            deployment = DeploymentTransitions.apply(deployment, event).orElseThrow();
        }

        assertEquals(LIVE, deployment.state());
        assertEquals(AT.plusSeconds(2), deployment.liveAt());
        assertNotNull(deployment.deployStartedAt());
        assertEquals(4, deployment.version());
    }

    @Test
    void shouldRejectSkippingVerification_whenHealthPassesWhileDeploying() {
        assertRejected(RejectionReason.ILLEGAL_TRANSITION,
                DeploymentTransitions.apply(deployment(DEPLOYING, false), new HealthPassed(AT, UPDATER)));
        assertRejected(RejectionReason.ILLEGAL_TRANSITION,
                DeploymentTransitions.apply(deployment(VERIFYING, false), new RolledBack("x", AT, USER)));
    }

    @Test
    void shouldRejectEverything_whenTerminal() {
        for (DeploymentState terminal : List.of(FAILED, ROLLED_BACK, SUPERSEDED)) {
            assertRejected(RejectionReason.TERMINAL,
                    DeploymentTransitions.apply(deployment(terminal, false), new StartVerify(AT, UPDATER)));
            assertRejected(RejectionReason.TERMINAL,
                    DeploymentTransitions.apply(deployment(terminal, false), new HealthPassed(AT, UPDATER)));
        }
    }

    @Test
    void shouldSwitchSlots_whenAskedForTheOtherColor() {
        assertEquals(Color.GREEN, Color.BLUE.other());
        assertEquals(Color.BLUE, Color.GREEN.other());
    }

    static void assertRejected(RejectionReason expected, Transition<?> result) {
        Transition.Rejected<?> rejected = assertInstanceOf(Transition.Rejected.class, result);
        assertEquals(expected, rejected.reason(), rejected.message());
    }
}
