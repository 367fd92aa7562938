package io.hybridci.core.build;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The paths a build's push changed, as far as the control plane knows them: what {@code changed("…")} in a
 * step's {@code if} is evaluated against (docs/pipeline.md, "Conditions").
 *
 * <p>Either the complete list or unknown, never a part: with part of the list, a condition that matches none
 * of the known paths could still match an unknown one, so it would have to be true anyway. Unknown makes
 * {@code changed(...)} true: running a step needlessly is better than silently not testing a change.
 *
 * @param paths the changed paths when known, in push order; empty when unknown
 */
public record ChangedPaths(Optional<List<String>> paths) {

    /** At most this many paths are kept on a build; a push that changed more is UNKNOWN. */
    public static final int MAX_PATHS = 500;
    /**
     * At most this many characters of paths in all: the build item is read on every job change, and DynamoDB
     * bills a read per 4 KB, so the list is kept to a few read units; a longer list is UNKNOWN.
     */
    public static final int MAX_TOTAL_CHARS = 16_384;

    /** Nothing known: a pull request (GitHub's webhook lists no files), a manual build, a new or forced ref. */
    public static final ChangedPaths UNKNOWN = new ChangedPaths(Optional.empty());

    public ChangedPaths {
        Objects.requireNonNull(paths, "paths");
        paths = paths.map(List::copyOf);
    }

    /** The complete list {@code paths}, or UNKNOWN when it is beyond {@link #MAX_PATHS} or {@link #MAX_TOTAL_CHARS}. */
    public static ChangedPaths known(List<String> paths) {
        long chars = paths.stream().mapToLong(String::length).sum();
        return paths.size() > MAX_PATHS || chars > MAX_TOTAL_CHARS ? UNKNOWN : new ChangedPaths(Optional.of(paths));
    }

    public boolean isKnown() {
        return paths.isPresent();
    }
}
