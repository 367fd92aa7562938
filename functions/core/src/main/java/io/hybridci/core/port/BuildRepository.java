package io.hybridci.core.port;

import io.hybridci.core.build.Build;
import java.util.Optional;

/** Where builds live. Every change is a conditional write on the build's {@code version}. */
public interface BuildRepository {

    Optional<Build> find(String buildId);

    /** Stores a new build unless one with its id exists (re-delivered events create nothing twice). */
    WriteResult<Build> create(Build build);

    /** Replaces the build if the stored one still has {@code expectedVersion}. */
    WriteResult<Build> update(Build next, long expectedVersion);

    /** Builds newest first; {@code cursor} comes from a previous page. */
    Page<Build> listNewestFirst(int limit, Optional<String> cursor);

    /**
     * The builds of one branch of {@code repo} ({@code owner/name}), newest first; {@code cursor} comes from a
     * previous page. Tag builds have no branch and are never listed. Used to find the older builds a new push
     * supersedes, so it reads one key (no scan).
     */
    Page<Build> listOnBranchNewestFirst(String repo, String branch, int limit, Optional<String> cursor);
}
