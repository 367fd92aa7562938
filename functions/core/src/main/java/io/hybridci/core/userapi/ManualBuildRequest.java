package io.hybridci.core.userapi;

import java.util.Objects;

/**
 * The body of {@code POST /api/v1/builds}: what to build. The HTTP layer has checked that each
 * field is present and well formed, naming the bad ones.
 *
 * @param repo {@code owner/name}
 * @param cloneUrl where agents clone from
 * @param commit the commit SHA
 * @param branch the branch
 * @param message an optional description shown as the build's message; may be {@code null}
 */
public record ManualBuildRequest(String repo, String cloneUrl, String commit, String branch, String message) {
    public ManualBuildRequest {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(cloneUrl, "cloneUrl");
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(branch, "branch");
    }
}
