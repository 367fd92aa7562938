package io.hybridci.core.port.contract;

import static io.hybridci.core.port.contract.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.deployment.Color;
import io.hybridci.core.deployment.Deployment;
import io.hybridci.core.deployment.DeploymentState;
import io.hybridci.core.deployment.Environment;
import io.hybridci.core.port.DeploymentStore;
import io.hybridci.core.port.Page;
import io.hybridci.core.port.WriteResult;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link DeploymentStore} must do: exact round trips, conditional writes, history newest first. */
public abstract class DeploymentStoreContract {

    protected abstract DeploymentStore newStore();

    private DeploymentStore store;
    private String environment;

    @BeforeEach
    void setUpStore() {
        store = newStore();
        environment = Fixtures.uniqueId("prod").toLowerCase().replaceAll("[^a-z0-9-]", "-");
    }

    @Test
    void shouldRoundTripAnEnvironment_andWriteOnlyOnTheExpectedVersion() {
        Environment created = Environment.created(environment,
                new Environment.Protection(true, List.of("main", "release/*"), List.of("admin")), T0, "user:admin");
        assertTrue(store.createEnvironment(created).written());
        assertInstanceOf(WriteResult.Conflict.class, store.createEnvironment(created));

        Deployment live = deployment("d-1", T0, DeploymentState.LIVE, null);
        Environment withLive = created.withLive(live, "d-0", T0.plusSeconds(5), "system:state-reactor");
        assertTrue(store.updateEnvironment(withLive, 1).written());
        WriteResult<Environment> stale = store.updateEnvironment(created.withProtection(Environment.Protection.NONE,
                T0.plusSeconds(6), "user:admin"), 1);

        assertEquals(Optional.of(withLive), store.findEnvironment(environment));
        assertEquals(new WriteResult.Conflict<>(Optional.of(withLive)), stale);
        assertTrue(store.environments().contains(withLive));
        assertEquals(Optional.empty(), store.findEnvironment(environment + "-none"));
    }

    @Test
    void shouldRoundTripADeployment_andListTheHistoryNewestFirstInPages() {
        Deployment first = deployment("d-1", T0, DeploymentState.SUPERSEDED, null);
        Deployment second = deployment("d-2", T0.plusSeconds(60), DeploymentState.LIVE, "d-1");
        Deployment third = Deployment.requested(Fixtures.uniqueId("d-3"), environment, "c".repeat(40), Color.BLUE,
                "b-3", "j-3", true, T0.plusSeconds(120), "system:state-reactor");
        for (Deployment deployment : List.of(first, second, third)) {
            assertTrue(store.createDeployment(deployment).written());
        }
        assertInstanceOf(WriteResult.Conflict.class, store.createDeployment(first));

        Page<Deployment> page = store.history(environment, 2, Optional.empty());
        Page<Deployment> rest = store.history(environment, 2, page.next());

        assertEquals(Optional.of(second), store.findDeployment(second.id()));
        assertEquals(Optional.of(third), store.findDeployment(third.id()));
        assertEquals(List.of(third, second), page.items());
        assertTrue(page.next().isPresent());
        assertEquals(List.of(first), rest.items());
        assertEquals(Optional.empty(), rest.next());
        assertEquals(List.of(), store.history(environment + "-none", 5, Optional.empty()).items());
    }

    @Test
    void shouldUpdateADeploymentOnlyOnTheExpectedVersion() {
        Deployment requested = deployment("d-1", T0, DeploymentState.PENDING_APPROVAL, null);
        assertTrue(store.createDeployment(requested).written());
        Deployment approved = new Deployment(requested.id(), environment, requested.commit(), Color.GREEN,
                requested.buildId(), requested.jobId(), DeploymentState.DEPLOYING, true, "user:alice", null, T0,
                T0.plusSeconds(1), null, null, requested.version() + 1, T0.plusSeconds(1), "system:state-reactor",
                "d-0", null);

        assertTrue(store.updateDeployment(approved, requested.version()).written());
        assertEquals(new WriteResult.Conflict<>(Optional.of(approved)), store.updateDeployment(approved, requested.version()));
        assertEquals(Optional.of(approved), store.findDeployment(requested.id()));
    }

    private Deployment deployment(String id, java.time.Instant createdAt, DeploymentState state, String replaces) {
        boolean live = state == DeploymentState.LIVE || state == DeploymentState.SUPERSEDED;
        return new Deployment(Fixtures.uniqueId(id), environment, "a".repeat(40), Color.GREEN, "b-1", "j-1", state, false,
                null, state == DeploymentState.SUPERSEDED ? "superseded_by:d-2" : null, createdAt,
                live ? createdAt.plusSeconds(1) : null, live ? createdAt.plusSeconds(2) : null,
                state.isTerminal() ? createdAt.plusSeconds(3) : null, live ? 4 : 1, createdAt.plusSeconds(3),
                "agent:a-1", replaces, state == DeploymentState.LIVE ? "d-0" : null);
    }
}
