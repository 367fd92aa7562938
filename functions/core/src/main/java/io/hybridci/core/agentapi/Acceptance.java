package io.hybridci.core.agentapi;

import io.hybridci.core.build.Build;
import io.hybridci.core.job.Job;

import java.util.Objects;

/** The outcome of {@link AgentApi#accept}. */
public sealed interface Acceptance {

    /** The job is this agent's (now, or already from an earlier identical call); with its build for checkout. */
    record Accepted(Job job, Build build) implements Acceptance {
        public Accepted {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(build, "build");
        }
    }

    /** Another agent won, the job is no longer QUEUED, or this agent cannot take work now. */
    record Conflict(String message) implements Acceptance {
        public Conflict {
            Objects.requireNonNull(message, "message");
        }
    }

    /** No such job. */
    record NotFound() implements Acceptance {}
}
