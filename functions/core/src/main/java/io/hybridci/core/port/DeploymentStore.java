package io.hybridci.core.port;

import io.hybridci.core.deployment.Deployment;
import io.hybridci.core.deployment.Environment;

import java.util.List;
import java.util.Optional;

/**
 * Environments and their deployments (docs/deployments.md): items of the {@code state} table, each written alone
 * with a condition on its version (create: on its absence).
 */
public interface DeploymentStore {

    Optional<Environment> findEnvironment(String name);

    WriteResult<Environment> createEnvironment(Environment environment);

    WriteResult<Environment> updateEnvironment(Environment next, long expectedVersion);

    /** Every environment, by name (there are few: a list, not a page). */
    List<Environment> environments();

    Optional<Deployment> findDeployment(String id);

    WriteResult<Deployment> createDeployment(Deployment deployment);

    WriteResult<Deployment> updateDeployment(Deployment next, long expectedVersion);

    /** The deployments of {@code environment}, newest first. */
    Page<Deployment> history(String environment, int limit, Optional<String> cursor);
}
