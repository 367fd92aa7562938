package io.hybridci.core.port.inmemory;

import io.hybridci.core.deployment.Deployment;
import io.hybridci.core.deployment.Environment;
import io.hybridci.core.port.DeploymentStore;
import io.hybridci.core.port.Page;
import io.hybridci.core.port.WriteResult;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** {@link DeploymentStore} in memory, for core tests. */
public final class InMemoryDeploymentStore implements DeploymentStore {

    private final VersionedMap<Environment> environments = new VersionedMap<>(Environment::name, Environment::version);
    private final VersionedMap<Deployment> deployments = new VersionedMap<>(Deployment::id, Deployment::version);

    @Override
    public Optional<Environment> findEnvironment(String name) {
        return environments.find(name);
    }

    @Override
    public WriteResult<Environment> createEnvironment(Environment environment) {
        return environments.create(environment);
    }

    @Override
    public WriteResult<Environment> updateEnvironment(Environment next, long expectedVersion) {
        return environments.update(next, expectedVersion);
    }

    @Override
    public List<Environment> environments() {
        return environments.values().stream().sorted(Comparator.comparing(Environment::name)).toList();
    }

    @Override
    public Optional<Deployment> findDeployment(String id) {
        return deployments.find(id);
    }

    @Override
    public WriteResult<Deployment> createDeployment(Deployment deployment) {
        return deployments.create(deployment);
    }

    @Override
    public WriteResult<Deployment> updateDeployment(Deployment next, long expectedVersion) {
        return deployments.update(next, expectedVersion);
    }

    @Override
    public Page<Deployment> history(String environment, int limit, Optional<String> cursor) {
        List<Deployment> newestFirst = deployments.values().stream()
                .filter(deployment -> deployment.environment().equals(environment))
                .sorted(Comparator.comparing(Deployment::createdAt).thenComparing(Deployment::id).reversed())
                .toList();
        return Paging.page(newestFirst, limit, cursor);
    }
}
