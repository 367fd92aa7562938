package io.hybridci.core.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvironmentTest {

    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    @Test
    void shouldAllowAnyBranch_whenTheEnvironmentNamesNone() {
        assertEquals(Optional.empty(), Environment.Protection.NONE.refusal("staging", "feature/x"));
        assertEquals(Optional.empty(), Environment.Protection.NONE.refusal("staging", null));
    }

    @Test
    void shouldAllowOnlyMatchingBranches_andSayWhy_whenBranchesAreNamed() {
        Environment.Protection protection = new Environment.Protection(false, List.of("main", "release/*"), List.of());

        assertEquals(Optional.empty(), protection.refusal("production", "main"));
        assertEquals(Optional.empty(), protection.refusal("production", "release/1.2"));
        assertEquals(Optional.of("environment \"production\" allows deploys only from branches main, release/*; "
                + "this build is on branch \"release/1.2/hotfix\""), protection.refusal("production", "release/1.2/hotfix"));
        assertEquals(Optional.of("environment \"production\" allows deploys only from branches main, release/*; "
                + "this build is not on a branch"), protection.refusal("production", null));
    }

    @Test
    void shouldCheckTheApproversRole_caseInsensitively() {
        Environment.Protection admins = new Environment.Protection(true, List.of(), List.of("Admin"));

        assertTrue(admins.allowsApprovalBy("admin"));
        assertFalse(admins.allowsApprovalBy("operator"));
        assertFalse(admins.allowsApprovalBy(null));
        assertTrue(Environment.Protection.NONE.allowsApprovalBy("operator"));
    }

    @Test
    void shouldDeployToTheIdleColour_blueFirst() {
        Environment fresh = Environment.created("production", Environment.Protection.NONE, T0, "user:admin");
        Deployment green = Deployment.requested("d1", "production", "a".repeat(40), Color.GREEN, "b1", "j1", false, T0,
                "system:state-reactor");

        assertEquals(Color.BLUE, fresh.idleColor());
        Environment live = fresh.withLive(green, null, T0.plusSeconds(1), "system:state-reactor");
        assertEquals(Color.BLUE, live.idleColor());
        assertEquals(2, live.version());
        assertEquals("a".repeat(40), live.liveVersion());
    }

    @Test
    void shouldAcceptThePipelinesEnvironmentNames_only() {
        assertTrue(Environment.isValidName("production"));
        assertTrue(Environment.isValidName("eu_west-1"));
        assertFalse(Environment.isValidName("Production"));
        assertFalse(Environment.isValidName("-prod"));
        assertFalse(Environment.isValidName("a".repeat(64)));
        assertFalse(Environment.isValidName(null));
    }
}
