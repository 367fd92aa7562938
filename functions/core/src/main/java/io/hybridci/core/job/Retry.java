package io.hybridci.core.job;

import java.util.Objects;

/**
 * A decided retry: two writes for the repository. {@code next} is the new attempt, put only if
 * absent (its id is deterministic, so a re-delivery puts nothing twice); {@code previous} is the
 * finished attempt with {@code retriedBy} set, written conditionally on its old version.
 *
 * @param previous the finished attempt, now pointing at its successor
 * @param next the new attempt, QUEUED, version 1
 */
public record Retry(Job previous, Job next) {
    public Retry {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(next, "next");
    }
}
