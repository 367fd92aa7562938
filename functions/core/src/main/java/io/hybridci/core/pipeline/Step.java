package io.hybridci.core.pipeline;

import java.util.List;
import java.util.Optional;

/**
 * One entry of a pipeline's {@code steps:} list. The planner turns each step into one job:
 * a {@link CommandStep} runs on an agent, a {@link BlockStep} waits for a person's approval,
 * a {@link DeployStep} runs a deployment to an environment.
 */
public sealed interface Step permits CommandStep, BlockStep, DeployStep {

    /** Unique within the pipeline: given in the file, or {@code step-<n>} for the n-th step (1-based). */
    String key();

    /** What people see on the dashboard. */
    String label();

    /** Keys of the steps that must pass before this one may start, in file order, without duplicates. */
    List<String> dependsOn();

    /** The {@code if} expression, kept verbatim: the planner evaluates it, the parser does not. */
    Optional<String> condition();
}
