package io.hybridci.core.deployment;

import java.time.Instant;
import java.util.Objects;

/**
 * One deployment of one commit to one environment, driven by a deploy job.
 *
 * @param id unique id
 * @param environment the environment name, e.g. {@code production}
 * @param commit the version deployed (a commit SHA); events call it {@code version}
 * @param color the slot it deploys to
 * @param buildId the build it comes from
 * @param jobId the deploy job
 * @param state where it is
 * @param approvalRequired whether the environment is gated: then only {@code Approve} starts it
 * @param approvedBy who approved it, {@code null} for ungated environments or before approval
 * @param reason why it failed, was rejected, rolled back or superseded
 * @param createdAt when the planner created it
 * @param deployStartedAt when it entered DEPLOYING
 * @param liveAt when it took traffic
 * @param finishedAt when it reached a terminal state
 * @param version optimistic-lock counter
 * @param updatedAt when it last changed
 * @param lastActor who changed it last
 */
public record Deployment(
        String id,
        String environment,
        String commit,
        Color color,
        String buildId,
        String jobId,
        DeploymentState state,
        boolean approvalRequired,
        String approvedBy,
        String reason,
        Instant createdAt,
        Instant deployStartedAt,
        Instant liveAt,
        Instant finishedAt,
        long version,
        Instant updatedAt,
        String lastActor) {

    public Deployment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(color, "color");
        Objects.requireNonNull(buildId, "buildId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(lastActor, "lastActor");
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1, was " + version);
        }
    }

    /** A new deployment awaiting approval (or, ungated, its deploy job), version 1. */
    public static Deployment requested(String id, String environment, String commit, Color color, String buildId,
                                       String jobId, boolean approvalRequired, Instant at, String actor) {
        return new Deployment(id, environment, commit, color, buildId, jobId, DeploymentState.PENDING_APPROVAL,
                approvalRequired, null, null, at, null, null, null, 1, at, actor);
    }

    Deployment next(DeploymentState newState, String approver, String newReason, Instant at, String actor) {
        Instant deployStarted = newState == DeploymentState.DEPLOYING && deployStartedAt == null ? at : deployStartedAt;
        Instant live = newState == DeploymentState.LIVE ? at : liveAt;
        Instant finished = newState.isTerminal() ? at : null;
        return new Deployment(id, environment, commit, color, buildId, jobId, newState, approvalRequired, approver,
                newReason, createdAt, deployStarted, live, finished, version + 1, at, actor);
    }
}
