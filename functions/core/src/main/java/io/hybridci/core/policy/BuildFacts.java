package io.hybridci.core.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@code if} condition may look at.
 *
 * @param branch       the branch, null for a tag build
 * @param tag          the tag, null unless a tag build
 * @param event        {@code push}, {@code pull_request} or {@code manual}
 * @param changedPaths the paths the push changed; empty when unknown (then {@code changed(...)} is true:
 *                     running a step needlessly is better than silently not testing a change)
 */
public record BuildFacts(String branch, String tag, String event, Optional<List<String>> changedPaths) {

    public BuildFacts {
        Objects.requireNonNull(event, "event");
        changedPaths = changedPaths.map(List::copyOf);
    }
}
