package io.hybridci.core.policy;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Which branches cancel their older builds when a newer commit arrives (opt-in; off by default), as a list of
 * {@link Glob} patterns such as {@code feature/**} or {@code *}. The repository's default branch is never
 * cancelled by a wildcard: only a pattern that names it exactly ({@code main}) opts it in, because cancelling a
 * half-run build of the default branch can leave a deploy or a release half-done.
 *
 * @param branchPatterns the patterns; empty → nothing is ever cancelled
 */
public record CancelSuperseded(List<String> branchPatterns) {

    /** Nothing is cancelled. */
    public static final CancelSuperseded OFF = new CancelSuperseded(List.of());

    public CancelSuperseded {
        branchPatterns = List.copyOf(Objects.requireNonNull(branchPatterns, "branchPatterns"));
    }

    /** {@code "feature/**, fix/*"} → two patterns; blank → {@link #OFF}. */
    public static CancelSuperseded parse(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return OFF;
        }
        return new CancelSuperseded(Arrays.stream(commaSeparated.split(",")).map(String::trim)
                .filter(pattern -> !pattern.isEmpty()).toList());
    }

    /** Whether a new build of {@code branch} cancels the older ones; a tag build (null branch) never does. */
    public boolean appliesTo(String branch, String defaultBranch) {
        if (branch == null) {
            return false;
        }
        if (branch.equals(defaultBranch)) {
            return branchPatterns.contains(branch);
        }
        return branchPatterns.stream().anyMatch(pattern -> Glob.matches(pattern, branch));
    }
}
