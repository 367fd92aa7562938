package io.hybridci.core.status;

import io.hybridci.core.build.BuildState;

/**
 * The four states of a GitHub commit status, with the spelling GitHub's REST API expects.
 * GitHub has no "running" or "canceled": a build that has not finished is {@code pending}, and a
 * canceled one is {@code error} (it ended without a verdict on the code, unlike {@code failure}).
 */
public enum CommitState {
    PENDING("pending"),
    SUCCESS("success"),
    FAILURE("failure"),
    ERROR("error");

    private final String apiValue;

    CommitState(String apiValue) {
        this.apiValue = apiValue;
    }

    /** The value of the {@code state} field in {@code POST /repos/{owner}/{repo}/statuses/{sha}}. */
    public String apiValue() {
        return apiValue;
    }

    /** The commit state that shows a build in {@code state} on GitHub. */
    public static CommitState of(BuildState state) {
        return switch (state) {
            case CREATED, RUNNING, BLOCKED -> PENDING;
            case PASSED -> SUCCESS;
            case FAILED -> FAILURE;
            case CANCELED -> ERROR;
        };
    }
}
