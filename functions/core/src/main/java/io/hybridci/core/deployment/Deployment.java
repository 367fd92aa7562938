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
 * @param replaces the deployment that was live in the environment when this one started deploying (null: none);
 *                 going live supersedes it, and a later rollback puts it back
 * @param restores for a rollback deployment (POST /api/v1/environments/{name}/rollback): the earlier deployment
 *                 whose version and colour it puts back; null for a deployment from a pipeline
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
        String lastActor,
        String replaces,
        String restores) {

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

    /** The form without {@code replaces} and {@code restores} (both null). */
    public Deployment(String id, String environment, String commit, Color color, String buildId, String jobId,
                      DeploymentState state, boolean approvalRequired, String approvedBy, String reason,
                      Instant createdAt, Instant deployStartedAt, Instant liveAt, Instant finishedAt, long version,
                      Instant updatedAt, String lastActor) {
        this(id, environment, commit, color, buildId, jobId, state, approvalRequired, approvedBy, reason, createdAt,
                deployStartedAt, liveAt, finishedAt, version, updatedAt, lastActor, null, null);
    }

    /** A new deployment awaiting approval (or, ungated, its deploy job), version 1. */
    public static Deployment requested(String id, String environment, String commit, Color color, String buildId,
                                       String jobId, boolean approvalRequired, Instant at, String actor) {
        return new Deployment(id, environment, commit, color, buildId, jobId, DeploymentState.PENDING_APPROVAL,
                approvalRequired, null, null, at, null, null, null, 1, at, actor);
    }

    /**
     * A rollback of {@code live} to {@code previous} (its version and colour), ungated: the person who asked for the
     * rollback decided. Its job runs {@code previous}'s switch command.
     */
    public static Deployment rollback(String id, Deployment live, Deployment previous, String jobId, Instant at,
                                      String actor) {
        return new Deployment(id, live.environment(), previous.commit(), previous.color(), live.buildId(), jobId,
                DeploymentState.PENDING_APPROVAL, false, actor, null, at, null, null, null, 1, at, actor, live.id(),
                previous.id());
    }

    /** Whether this deployment puts an earlier one back ({@link #restores}). */
    public boolean isRollback() {
        return restores != null;
    }

    Deployment next(DeploymentState newState, String approver, String newReason, Instant at, String actor) {
        return next(newState, color, replaces, approver, newReason, at, actor);
    }

    Deployment next(DeploymentState newState, Color newColor, String newReplaces, String approver, String newReason,
                    Instant at, String actor) {
        Instant deployStarted = newState == DeploymentState.DEPLOYING && deployStartedAt == null ? at : deployStartedAt;
        Instant live = newState == DeploymentState.LIVE ? at : liveAt;
        Instant finished = newState.isTerminal() ? at : null;
        return new Deployment(id, environment, commit, newColor, buildId, jobId, newState, approvalRequired, approver,
                newReason, createdAt, deployStarted, live, finished, version + 1, at, actor, newReplaces, restores);
    }
}
