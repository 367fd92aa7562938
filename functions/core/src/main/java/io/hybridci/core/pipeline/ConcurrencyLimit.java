package io.hybridci.core.pipeline;

import java.util.Objects;

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
}
