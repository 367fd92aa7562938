package io.hybridci.core.pipeline;

import java.util.Objects;
import java.util.Optional;

/**
 * At most {@code limit} jobs of the same {@code group} run at once, across all builds
 * ({@code concurrency_group} and {@code concurrency} in the file).
 *
 * @param group the name shared by the steps that limit each other
 * @param limit how many may run at once, at least 1
 */
public record ConcurrencyLimit(String group, int limit) {

    public ConcurrencyLimit {
        Objects.requireNonNull(group, "group");
        if (limit < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + limit);
        }
    }

    /** The limit a step declares: a command step's if given, a deploy step's always, none for a block step or none at all. */
    public static Optional<ConcurrencyLimit> of(Step step) {
        return switch (step) {
            case null -> Optional.empty();
            case CommandStep command -> command.concurrency();
            case DeployStep deploy -> Optional.of(deploy.concurrency());
            case BlockStep _ -> Optional.empty();
        };
    }
}
