package io.hybridci.core.userapi;

import io.hybridci.core.build.Build;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobTransitions;
import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.pipeline.Pipeline;
import io.hybridci.core.pipeline.PipelineParser;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The first job of every build (docs/functions.md, build-planner): kind BOOTSTRAP, key
 * {@code bootstrap}, queue {@code default}, QUEUED at once. The agent that takes it checks out the
 * commit and uploads {@code .hybridci/pipeline.yml}. One factory, so a manual build and a pushed
 * one start the same way.
 */
public final class BootstrapBuilds {

    /** The step key of the bootstrap job in every build. */
    public static final String BOOTSTRAP_KEY = "bootstrap";
    public static final String BOOTSTRAP_LABEL = ":pipeline: Upload pipeline";
    /**
     * The step key of the maintainer's gate in front of a fork pull request's bootstrap job
     * (io.hybridci.core.planning.ForkPullRequests). Reserved in every pipeline, not only in fork builds: the
     * state-reactor leaves it out when it counts a build's pipeline jobs, so a pipeline step of that name
     * would keep its build from ever finishing.
     */
    public static final String FORK_APPROVAL_KEY = "fork-approval";
    /** Keys the control plane gives its own jobs; no pipeline step may take one. */
    public static final List<String> RESERVED_KEYS = List.of(BOOTSTRAP_KEY, FORK_APPROVAL_KEY);
    /** Checkout and upload take seconds; ten minutes stops a hung clone from holding an agent forever. */
    public static final int BOOTSTRAP_TIMEOUT_MINUTES = 10;

    private BootstrapBuilds() {
    }

    /** The bootstrap job of {@code build}, version 1, already QUEUED (it depends on nothing). */
    public static Job bootstrapJob(Build build, Instant at, String actor) {
        Job planned = planned(build, List.of(), at, actor);
        Job queued = JobTransitions.apply(planned, new JobEvent.Queue(at, actor)).orElseThrow();
        // The first write of an item is version 1, whatever happened to it before it was stored.
        return queued.toBuilder().version(1).build();
    }

    /**
     * The bootstrap job of {@code build}, version 1, PENDING until the job {@code gateKey} passes: the
     * state-reactor queues it like any dependent, or skips it when the gate fails.
     */
    public static Job bootstrapJobAfter(Build build, String gateKey, Instant at, String actor) {
        Objects.requireNonNull(gateKey, "gateKey");
        return planned(build, List.of(gateKey), at, actor);
    }

    /** The first step of {@code pipeline} that takes a key of the control plane's own jobs, if any. */
    public static Optional<String> reservedKeyIn(Pipeline pipeline) {
        return RESERVED_KEYS.stream().filter(key -> pipeline.step(key).isPresent()).findFirst();
    }

    private static Job planned(Build build, List<String> dependsOn, Instant at, String actor) {
        Objects.requireNonNull(build, "build");
        return Job.planned(build.id(), BOOTSTRAP_KEY, BOOTSTRAP_LABEL, JobKind.BOOTSTRAP,
                PipelineParser.DEFAULT_QUEUE, 0, dependsOn, null, Map.of(), BOOTSTRAP_TIMEOUT_MINUTES,
                RetryPolicy.DEFAULT, at, actor);
    }
}
