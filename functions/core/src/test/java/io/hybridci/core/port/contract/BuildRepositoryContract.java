package io.hybridci.core.port.contract;

import static io.hybridci.core.port.contract.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildState;
import io.hybridci.core.build.ChangedPaths;
import io.hybridci.core.port.BuildRepository;
import io.hybridci.core.port.Page;
import io.hybridci.core.port.WriteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link BuildRepository} must do; subclasses give a fresh, empty repository. */
public abstract class BuildRepositoryContract {

    protected abstract BuildRepository newRepository();

    private BuildRepository builds;

    @BeforeEach
    void setUpRepository() {
        builds = newRepository();
    }

    @Test
    void shouldStoreAndFind_whenCreatedFirstTime() {
        Build build = Fixtures.build(Fixtures.uniqueId("b"), T0);

        assertEquals(new WriteResult.Written<>(build), builds.create(build));
        assertEquals(Optional.of(build), builds.find(build.id()));
    }

    @Test
    void shouldKeepChangedPathsKnownEmptyOrUnknown_whenStoredAndUpdated() {
        for (ChangedPaths paths : List.of(ChangedPaths.known(List.of("docs/a.md", "src/b.c")), ChangedPaths.known(List.of()),
                ChangedPaths.UNKNOWN)) {
            Build build = Fixtures.build(Fixtures.uniqueId("b"), T0).withChangedPaths(paths);
            builds.create(build);
            Build next = build.withState(BuildState.RUNNING, T0.plusSeconds(1), "system:state-reactor");
            builds.update(next, 1);

            assertEquals(paths, builds.find(build.id()).orElseThrow().changedPaths());
        }
    }

    @Test
    void shouldReturnConflictWithStoredBuild_whenCreatedTwice() {
        Build build = Fixtures.build(Fixtures.uniqueId("b"), T0);
        builds.create(build);
        Build other = Fixtures.build(build.id(), T0.plusSeconds(9));

        assertEquals(new WriteResult.Conflict<>(Optional.of(build)), builds.create(other));
    }

    @Test
    void shouldUpdate_whenExpectedVersionMatches() {
        Build build = Fixtures.build(Fixtures.uniqueId("b"), T0);
        builds.create(build);
        Build next = build.withState(BuildState.RUNNING, T0.plusSeconds(1), "system:state-reactor");

        assertTrue(builds.update(next, 1).written());
        assertEquals(Optional.of(next), builds.find(build.id()));
    }

    @Test
    void shouldReturnCurrentBuild_whenExpectedVersionIsStale() {
        Build build = Fixtures.build(Fixtures.uniqueId("b"), T0);
        builds.create(build);
        Build winner = build.withState(BuildState.RUNNING, T0.plusSeconds(1), "system:state-reactor");
        builds.update(winner, 1);
        Build loser = build.withState(BuildState.CANCELED, T0.plusSeconds(2), "user:bob");

        assertEquals(new WriteResult.Conflict<>(Optional.of(winner)), builds.update(loser, 1));
        assertEquals(Optional.of(winner), builds.find(build.id()));
    }

    @Test
    void shouldReturnEmptyConflict_whenUpdatingAMissingBuild() {
        Build ghost = Fixtures.build(Fixtures.uniqueId("b"), T0).withState(BuildState.RUNNING, T0, "x:y");

        assertEquals(new WriteResult.Conflict<>(Optional.empty()), builds.update(ghost, 1));
    }

    @Test
    void shouldListNewestFirstAcrossPages_whenCursorIsFollowed() {
        List<Build> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Build build = Fixtures.build(Fixtures.uniqueId("b" + i), T0.plusSeconds(i));
            builds.create(build);
            created.add(0, build);
        }

        List<Build> seen = new ArrayList<>();
        Page<Build> page = builds.listNewestFirst(2, Optional.empty());
        seen.addAll(page.items());
        assertEquals(2, page.items().size());
        while (page.next().isPresent()) {
            page = builds.listNewestFirst(2, page.next());
            seen.addAll(page.items());
        }

        assertEquals(created, seen);
        assertEquals(1, page.items().size(), "5 builds in pages of 2: the last page has one");
    }

    @Test
    void shouldGiveNoCursor_whenLastPageIsExactlyFull() {
        builds.create(Fixtures.build(Fixtures.uniqueId("b"), T0));
        builds.create(Fixtures.build(Fixtures.uniqueId("b"), T0.plusSeconds(1)));

        Page<Build> page = builds.listNewestFirst(2, Optional.empty());

        assertEquals(2, page.items().size());
        assertFalse(page.next().isPresent());
    }

    @Test
    void shouldListOnlyThatBranchNewestFirst_whenOtherBranchesReposAndTagsHaveBuilds() {
        String repo = Fixtures.uniqueId("acme/app");
        Build older = onBranch(repo, "feature/x", "tag-less-1", T0);
        Build newer = onBranch(repo, "feature/x", "tag-less-2", T0.plusSeconds(5));
        Build newest = onBranch(repo, "feature/x", "tag-less-3", T0.plusSeconds(9));
        builds.create(newer);
        builds.create(older);
        builds.create(newest);
        builds.create(onBranch(repo, "main", "other-branch", T0.plusSeconds(1)));
        builds.create(onBranch(Fixtures.uniqueId("acme/other"), "feature/x", "other-repo", T0.plusSeconds(2)));
        builds.create(Build.created(Fixtures.uniqueId("tag"), repo, "https://github.com/acme/app.git", null, "v1.0",
                "abc123", "msg", "alice", "alice", io.hybridci.core.build.BuildSource.PUSH, null, T0.plusSeconds(3), "github:alice"));

        Page<Build> first = builds.listOnBranchNewestFirst(repo, "feature/x", 2, Optional.empty());
        Page<Build> second = builds.listOnBranchNewestFirst(repo, "feature/x", 2, first.next());

        assertEquals(List.of(newest.id(), newer.id()), first.items().stream().map(Build::id).toList());
        assertEquals(List.of(older.id()), second.items().stream().map(Build::id).toList());
        assertFalse(second.next().isPresent());
    }

    @Test
    void shouldListNothing_whenTheBranchHasNoBuilds() {
        builds.create(onBranch(Fixtures.uniqueId("acme/app"), "main", "lonely", T0));

        assertTrue(builds.listOnBranchNewestFirst(Fixtures.uniqueId("acme/app"), "main", 10, Optional.empty()).items().isEmpty());
    }

    private static Build onBranch(String repo, String branch, String idPrefix, java.time.Instant createdAt) {
        return Build.created(Fixtures.uniqueId(idPrefix), repo, "https://github.com/" + repo + ".git", branch, null,
                "abc123", "msg", "alice", "alice", io.hybridci.core.build.BuildSource.PUSH, null, createdAt, "github:alice");
    }

    @Test
    void shouldRejectLimitBelowOne_whenListing() {
        assertThrows(IllegalArgumentException.class, () -> builds.listNewestFirst(0, Optional.empty()));
    }
}
