package io.hybridci.core.job;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When a finished job gets another attempt: automatically, by its exit status (a lost agent
 * reports {@link #AGENT_LOST_EXIT_STATUS}), and manually, through the API.
 *
 * <p>Mirrors a pipeline step's {@code retry:} block ({@code retry.automatic} rules and
 * {@code retry.manual.allowed}). The limits are per rule and count attempts already made
 * for that rule's cause, so a job can never be retried more than the sum of its limits.
 *
 * @param automatic rules tried in order; the first that matches the exit status decides
 * @param manualAllowed whether a person may retry a finished attempt through the API
 */
public record RetryPolicy(List<AutomaticRetry> automatic, boolean manualAllowed) {

    /** Exit status a job finishes with when its agent stops heart-beating (reason {@code agent_lost}). */
    public static final int AGENT_LOST_EXIT_STATUS = -1;

    /** The most automatic retries one rule may ask for; more would hide a broken build. */
    public static final int MAX_LIMIT = 10;

    /**
     * With no {@code retry:} block a job is still retried twice when its agent is lost:
     * the failure says nothing about the code, and peers (Buildkite, GitLab) do the same.
     */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(List.of(AutomaticRetry.onExitStatus(AGENT_LOST_EXIT_STATUS, 2)), true);

    public RetryPolicy {
        automatic = List.copyOf(Objects.requireNonNull(automatic, "automatic"));
    }

    /** The rule that applies to a job that finished with {@code exitStatus}, if any. */
    public Optional<AutomaticRetry> ruleFor(int exitStatus) {
        return automatic.stream().filter(rule -> rule.matches(exitStatus)).findFirst();
    }

    /**
     * One automatic retry rule.
     *
     * @param exitStatus the exit status it applies to; empty means any non-zero status
     * @param limit how many further attempts it allows, 1 to {@link #MAX_LIMIT}
     */
    public record AutomaticRetry(Optional<Integer> exitStatus, int limit) {
        public AutomaticRetry {
            Objects.requireNonNull(exitStatus, "exitStatus");
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("retry limit must be 1 to " + MAX_LIMIT + ", was " + limit);
            }
        }

        public static AutomaticRetry onExitStatus(int status, int limit) {
            return new AutomaticRetry(Optional.of(status), limit);
        }

        public static AutomaticRetry onAnyFailure(int limit) {
            return new AutomaticRetry(Optional.empty(), limit);
        }

        /** Whether this rule covers a job that finished with {@code status} (0 never retries). */
        public boolean matches(int status) {
            return status != 0 && exitStatus.map(s -> s == status).orElse(true);
        }
    }
}
