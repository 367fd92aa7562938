package io.hybridci.core.port.inmemory;

import io.hybridci.core.build.Build;
import io.hybridci.core.port.BuildRepository;
import io.hybridci.core.port.Page;
import io.hybridci.core.port.WriteResult;
import java.util.Comparator;
import java.util.Optional;

/** {@link BuildRepository} in memory, for unit tests of the use cases. */
public final class InMemoryBuildRepository implements BuildRepository {
    private final VersionedMap<Build> builds = new VersionedMap<>(Build::id, Build::version);

    @Override public Optional<Build> find(String buildId) { return builds.find(buildId); }
    @Override public WriteResult<Build> create(Build build) { return builds.create(build); }
    @Override public WriteResult<Build> update(Build next, long expectedVersion) { return builds.update(next, expectedVersion); }

    @Override
    public Page<Build> listNewestFirst(int limit, Optional<String> cursor) {
        var sorted = builds.values().stream()
                .sorted(Comparator.comparing(Build::createdAt).thenComparing(Build::id).reversed())
                .toList();
        return Paging.page(sorted, limit, cursor);
    }

    @Override
    public Page<Build> listOnBranchNewestFirst(String repo, String branch, int limit, Optional<String> cursor) {
        var sorted = builds.values().stream()
                .filter(build -> build.repo().equals(repo) && branch.equals(build.branch()))
                .sorted(Comparator.comparing(Build::createdAt).thenComparing(Build::id).reversed())
                .toList();
        return Paging.page(sorted, limit, cursor);
    }
}
