package io.hybridci.core.pipeline;

import io.hybridci.core.job.RetryPolicy;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A step that runs a shell command on an agent of one queue.
 *
 * @param key unique step key
 * @param label display name; defaults to the command's first line
 * @param command the script, lines joined by {@code \n}
 * @param queue the agent queue ({@code agents.queue}), {@code default} when absent
 * @param dependsOn keys of the steps this one waits for
 * @param timeoutInMinutes how long the job may run, 1 to 1440; empty means the control plane's default
 * @param retry when the job is retried; {@link RetryPolicy#DEFAULT} without a {@code retry:} block
 * @param env variables for this step only
 * @param concurrency a cross-build limit, if {@code concurrency_group} is set
 * @param priority higher runs first within a queue; 0 by default
 * @param condition the {@code if} expression, evaluated later by the planner
 */
public record CommandStep(
        String key,
        String label,
        String command,
        String queue,
        List<String> dependsOn,
        OptionalInt timeoutInMinutes,
        RetryPolicy retry,
        Map<String, String> env,
        Optional<ConcurrencyLimit> concurrency,
        int priority,
        Optional<String> condition) implements Step {

    public CommandStep {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(queue, "queue");
        dependsOn = List.copyOf(dependsOn);
        Objects.requireNonNull(timeoutInMinutes, "timeoutInMinutes");
        Objects.requireNonNull(retry, "retry");
        env = Pipeline.orderedCopy(env);
        Objects.requireNonNull(concurrency, "concurrency");
        Objects.requireNonNull(condition, "condition");
    }
}
