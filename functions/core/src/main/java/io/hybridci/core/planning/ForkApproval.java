package io.hybridci.core.planning;

import io.hybridci.core.build.Build;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobTransitions;
import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.pipeline.PipelineParser;
import io.hybridci.core.userapi.BootstrapBuilds;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The gate in front of a fork pull request's build (issue 10: "builds from forks do not start until
 * approved by a maintainer"). A fork's {@code .hybridci/pipeline.yml} is code its author controls, and
 * even the bootstrap job runs that author's checkout on our agents, so the gate stands before the
 * bootstrap job: a block job {@link BootstrapBuilds#FORK_APPROVAL_KEY}, BLOCKED, that the bootstrap job
 * depends on. Approving it ({@code POST /api/v1/jobs/{id}/approve}, the dashboard's Approve button) lets
 * the state-reactor queue the bootstrap job; rejecting it fails the build and skips the bootstrap job.
 *
 * <p>Every fork build is gated, not only an author's first contribution: knowing whether the author
 * contributed before (or is a collaborator) takes a GitHub API call the planner does not make, and the
 * payload's {@code author_association} describes the author's relation to the repository, which a
 * maintainer of a fork-based project still wants to confirm for each new head commit.
 */
public final class ForkApproval {

    /** A gate is decided once, by a person; retrying it would only block again. */
    private static final RetryPolicy NO_RETRY = new RetryPolicy(List.of(), false);

    private ForkApproval() {
    }

    /** What the dashboard and the API show on the gate. */
    public static String label(int pullRequestNumber, String headRepoFullName) {
        return "Approve build of fork PR #" + pullRequestNumber + " from " + headRepoFullName;
    }

    /** The gate of {@code build}: a block job, version 1, already BLOCKED (it depends on nothing). */
    public static Job gateJob(Build build, String headRepoFullName, Instant at, String actor) {
        Objects.requireNonNull(build, "build");
        Objects.requireNonNull(build.pullRequestNumber(), "a fork gate belongs to a pull request build");
        Job planned = Job.planned(build.id(), BootstrapBuilds.FORK_APPROVAL_KEY,
                label(build.pullRequestNumber(), headRepoFullName), JobKind.BLOCK, PipelineParser.DEFAULT_QUEUE, 0,
                List.of(), null, Map.of(), null, NO_RETRY, at, actor);
        Job blocked = JobTransitions.apply(planned, new JobEvent.Block(at, actor)).orElseThrow();
        // The first write of an item is version 1, whatever happened to it before it was stored.
        return blocked.toBuilder().version(1).build();
    }
}
