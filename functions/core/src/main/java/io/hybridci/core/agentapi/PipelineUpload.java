package io.hybridci.core.agentapi;

import java.util.List;
import java.util.Objects;

/** The outcome of {@link AgentApi#uploadPipeline}. */
public sealed interface PipelineUpload {

    /** Parsed and handed to the planner ({@code Pipeline Uploaded}); {@code steps} is the step count. */
    record Uploaded(int steps) implements PipelineUpload {}

    /** The parser's errors, one readable line each, in file order. */
    record Invalid(List<String> errors) implements PipelineUpload {
        public Invalid {
            errors = List.copyOf(errors);
        }
    }

    /** No such job. */
    record NotFound() implements PipelineUpload {}

    /** Only a build's bootstrap job uploads its pipeline. */
    record NotBootstrap(String message) implements PipelineUpload {
        public NotBootstrap {
            Objects.requireNonNull(message, "message");
        }
    }

    /** The job is not held by this agent. */
    record NotHeld(String message) implements PipelineUpload {
        public NotHeld {
            Objects.requireNonNull(message, "message");
        }
    }

    /** The job is this agent's but no longer ASSIGNED or RUNNING (finished, canceling, timing out). */
    record NotRunning(String message) implements PipelineUpload {
        public NotRunning {
            Objects.requireNonNull(message, "message");
        }
    }
}
