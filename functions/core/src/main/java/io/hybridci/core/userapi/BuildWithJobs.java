package io.hybridci.core.userapi;

import io.hybridci.core.build.Build;
import io.hybridci.core.job.Job;

import java.util.List;
import java.util.Objects;

/** A build and every attempt of every job, in the order they were created. */
public record BuildWithJobs(Build build, List<Job> jobs) {
    public BuildWithJobs {
        Objects.requireNonNull(build, "build");
        jobs = List.copyOf(jobs);
    }
}
