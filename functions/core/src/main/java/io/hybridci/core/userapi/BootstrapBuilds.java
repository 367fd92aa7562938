package io.hybridci.core.userapi;

import io.hybridci.core.build.Build;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobTransitions;
import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.pipeline.PipelineParser;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
    /** Checkout and upload take seconds; ten minutes stops a hung clone from holding an agent forever. */
    public static final int BOOTSTRAP_TIMEOUT_MINUTES = 10;

    private BootstrapBuilds() {
    }

    /** The bootstrap job of {@code build}, version 1, already QUEUED (it depends on nothing). */
    public static Job bootstrapJob(Build build, Instant at, String actor) {
        Objects.requireNonNull(build, "build");
        Job planned = Job.planned(build.id(), BOOTSTRAP_KEY, BOOTSTRAP_LABEL, JobKind.BOOTSTRAP,
                PipelineParser.DEFAULT_QUEUE, 0, List.of(), null, Map.of(), BOOTSTRAP_TIMEOUT_MINUTES,
                RetryPolicy.DEFAULT, at, actor);
        Job queued = JobTransitions.apply(planned, new JobEvent.Queue(at, actor)).orElseThrow();
        // The first write of an item is version 1, whatever happened to it before it was stored.
        return queued.toBuilder().version(1).build();
    }
}
