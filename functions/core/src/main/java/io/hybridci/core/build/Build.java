package io.hybridci.core.build;

import java.time.Instant;
import java.util.Objects;

/**
 * One run of a repository's pipeline for one commit. Its {@code state} is derived from its jobs
 * ({@link BuildRollup}); {@link BuildRollup#apply} produces the next version.
 *
 * @param id deterministic per trigger, see {@link BuildIds}
 * @param repo full name, {@code owner/name}
 * @param cloneUrl where agents clone from
 * @param branch the branch, {@code null} for a tag push
 * @param tag the tag, {@code null} unless a tag push
 * @param commit the commit SHA
 * @param message the commit message (first line is enough for the dashboard)
 * @param author the commit author's login (or name when GitHub gives no login)
 * @param pusher who triggered it: the pusher, the PR sender, or the user
 * @param source push, pull request or manual
 * @param pullRequestNumber the PR number, {@code null} unless {@code source} is PULL_REQUEST
 * @param state derived from the jobs
 * @param createdAt when the webhook or user created it
 * @param startedAt when it first left CREATED
 * @param finishedAt when it last became PASSED/FAILED/CANCELED, {@code null} while open
 * @param pipelineSteps how many steps the uploaded pipeline has, {@code null} until one was uploaded:
 *                      the rollup must not call the build finished while fewer step keys exist
 * @param changedPaths the paths the push changed, for {@code changed(...)} conditions; UNKNOWN unless a push listed them
 * @param version optimistic-lock counter
 * @param updatedAt when it last changed
 * @param lastActor who changed it last
 */
public record Build(
        String id,
        String repo,
        String cloneUrl,
        String branch,
        String tag,
        String commit,
        String message,
        String author,
        String pusher,
        BuildSource source,
        Integer pullRequestNumber,
        BuildState state,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Integer pipelineSteps,
        ChangedPaths changedPaths,
        long version,
        Instant updatedAt,
        String lastActor) {

    public Build {
        Objects.requireNonNull(changedPaths, "changedPaths");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(cloneUrl, "cloneUrl");
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(lastActor, "lastActor");
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1, was " + version);
        }
        if ((source == BuildSource.PULL_REQUEST) != (pullRequestNumber != null)) {
            throw new IllegalArgumentException("pullRequestNumber is set exactly for pull_request builds");
        }
        if (pipelineSteps != null && pipelineSteps < 0) {
            throw new IllegalArgumentException("pipelineSteps cannot be negative, was " + pipelineSteps);
        }
    }

    /** A build whose pipeline is not uploaded yet ({@code pipelineSteps} null): the form written before that field existed. */
    public Build(String id, String repo, String cloneUrl, String branch, String tag, String commit, String message,
                 String author, String pusher, BuildSource source, Integer pullRequestNumber, BuildState state,
                 Instant createdAt, Instant startedAt, Instant finishedAt, long version, Instant updatedAt,
                 String lastActor) {
        this(id, repo, cloneUrl, branch, tag, commit, message, author, pusher, source, pullRequestNumber, state,
                createdAt, startedAt, finishedAt, null, ChangedPaths.UNKNOWN, version, updatedAt, lastActor);
    }

    /** A build whose changed paths are unknown: the form written before that field existed. */
    public Build(String id, String repo, String cloneUrl, String branch, String tag, String commit, String message,
                 String author, String pusher, BuildSource source, Integer pullRequestNumber, BuildState state,
                 Instant createdAt, Instant startedAt, Instant finishedAt, Integer pipelineSteps, long version,
                 Instant updatedAt, String lastActor) {
        this(id, repo, cloneUrl, branch, tag, commit, message, author, pusher, source, pullRequestNumber, state,
                createdAt, startedAt, finishedAt, pipelineSteps, ChangedPaths.UNKNOWN, version, updatedAt, lastActor);
    }

    /** A new build in CREATED, version 1. */
    public static Build created(String id, String repo, String cloneUrl, String branch, String tag, String commit,
                                String message, String author, String pusher, BuildSource source,
                                Integer pullRequestNumber, Instant createdAt, String actor) {
        return new Build(id, repo, cloneUrl, branch, tag, commit, message, author, pusher, source,
                pullRequestNumber, BuildState.CREATED, createdAt, null, null, null, ChangedPaths.UNKNOWN, 1, createdAt, actor);
    }

    /** This build, not yet stored, with the paths its push changed (same version: it is still the first write). */
    public Build withChangedPaths(ChangedPaths paths) {
        return new Build(id, repo, cloneUrl, branch, tag, commit, message, author, pusher, source,
                pullRequestNumber, state, createdAt, startedAt, finishedAt, pipelineSteps, paths, version, updatedAt,
                lastActor);
    }

    /** This build in {@code newState}, with the timestamps that state implies, version + 1. */
    public Build withState(BuildState newState, Instant at, String actor) {
        Instant started = startedAt == null && newState != BuildState.CREATED ? at : startedAt;
        Instant finished = newState.isFinished() ? at : null;
        return new Build(id, repo, cloneUrl, branch, tag, commit, message, author, pusher, source,
                pullRequestNumber, newState, createdAt, started, finished, pipelineSteps, changedPaths, version + 1, at,
                actor);
    }

    /** This build once its pipeline (of {@code steps} steps) was uploaded, version + 1. */
    public Build withPipelineSteps(int steps, Instant at, String actor) {
        return new Build(id, repo, cloneUrl, branch, tag, commit, message, author, pusher, source,
                pullRequestNumber, state, createdAt, startedAt, finishedAt, steps, changedPaths, version + 1, at, actor);
    }
}
