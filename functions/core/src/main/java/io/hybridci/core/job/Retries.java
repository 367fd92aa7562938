package io.hybridci.core.job;

import io.hybridci.core.statemachine.Actors;
import io.hybridci.core.statemachine.RejectionReason;
import io.hybridci.core.statemachine.Transition;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Decides new attempts of a finished job.
 *
 * <p><b>Automatic</b> (state-reactor, on a job reaching FAILED or TIMED_OUT):
 * <ul>
 *   <li>The cause of a FAILED attempt is its exit status, −1 when its agent was lost; the first
 *       {@link RetryPolicy.AutomaticRetry} rule matching it decides.</li>
 *   <li>A TIMED_OUT attempt's exit status is an artefact of the kill, not a cause: only a
 *       catch-all rule ({@code exit_status: "*"}) retries it.</li>
 *   <li>A rule with limit {@code n} allows {@code n} retries: the attempt is retried while the
 *       number of attempts of the key (this one included) decided by that same rule is ≤ n. All
 *       earlier attempts count, manual ones too, so no cause is ever retried beyond its limit.</li>
 *   <li>The new attempt is QUEUED (its dependencies passed before the first attempt ran), and is
 *       stamped with the finished attempt's {@code updatedAt}: the decision is a pure function of
 *       the stored items, so a re-delivered stream record yields the identical retry.</li>
 *   <li>The state-reactor decides the retry <em>before</em> it evaluates dependents, so they see
 *       the new attempt (see {@link io.hybridci.core.build.Dependencies}) and are not skipped.</li>
 * </ul>
 *
 * <p><b>Manual</b> (api): allowed for FAILED, TIMED_OUT, CANCELED and EXPIRED attempts of
 * non-block steps whose policy permits it. A PASSED attempt has nothing to fix, a SKIPPED one is
 * fixed by retrying the dependency that failed.
 */
public final class Retries {

    /** Who creates automatic retries. */
    public static final String AUTOMATIC_RETRY_ACTOR = Actors.system("state-reactor");

    private Retries() {
    }

    /**
     * The automatic retry of {@code finished}, if its policy asks for one and the rule's limit is
     * not used up.
     *
     * @param earlierAttemptsOfSameKey the other attempts of the job's key in its build (any order;
     *                                 {@code finished} itself and later attempts are ignored)
     */
    public static Optional<Retry> automaticRetry(Job finished, List<Job> earlierAttemptsOfSameKey) {
        Objects.requireNonNull(finished, "finished");
        Objects.requireNonNull(earlierAttemptsOfSameKey, "earlierAttemptsOfSameKey");
        if (finished.isRetried()) {
            return Optional.empty();
        }
        OptionalInt rule = automaticRuleIndex(finished);
        if (rule.isEmpty()) {
            return Optional.empty();
        }
        long sameCause = 1 + earlierAttemptsOfSameKey.stream()
                .filter(other -> other.key().equals(finished.key()) && other.buildId().equals(finished.buildId()))
                .filter(other -> other.attempt() < finished.attempt())
                .filter(other -> automaticRuleIndex(other).equals(rule))
                .count();
        int limit = finished.retryPolicy().automatic().get(rule.getAsInt()).limit();
        if (sameCause > limit) {
            return Optional.empty();
        }
        return Optional.of(retry(finished, finished.updatedAt(), AUTOMATIC_RETRY_ACTOR));
    }

    /**
     * A retry a person asked for through the API.
     *
     * @return the retry, or a rejection: {@link RejectionReason#NOT_FINISHED},
     * {@link RejectionReason#ALREADY_RETRIED} or {@link RejectionReason#RETRY_NOT_ALLOWED}
     */
    public static Transition<Retry> manualRetry(Job finished, Instant at, String actor) {
        Objects.requireNonNull(finished, "finished");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        if (!finished.state().isTerminal()) {
            return Transition.rejected(RejectionReason.NOT_FINISHED,
                    "job " + finished.id() + " is " + finished.state() + "; only finished jobs are retried");
        }
        if (finished.isRetried()) {
            return Transition.rejected(RejectionReason.ALREADY_RETRIED,
                    "job " + finished.id() + " was already retried by " + finished.retriedBy());
        }
        if (!finished.retryPolicy().manualAllowed()) {
            return Transition.rejected(RejectionReason.RETRY_NOT_ALLOWED,
                    "step " + finished.key() + " does not allow manual retries");
        }
        if (finished.kind() == JobKind.BLOCK) {
            return Transition.rejected(RejectionReason.RETRY_NOT_ALLOWED,
                    "step " + finished.key() + " is a block step; it is approved, not retried");
        }
        return switch (finished.state()) {
            case FAILED, TIMED_OUT, CANCELED, EXPIRED -> Transition.moved(retry(finished, at, actor));
            case PASSED, SKIPPED -> Transition.rejected(RejectionReason.RETRY_NOT_ALLOWED,
                    "job " + finished.id() + " is " + finished.state() + "; only failed, timed out, canceled"
                            + " or expired jobs are retried");
            case PENDING, QUEUED, ASSIGNED, RUNNING, CANCELING, TIMING_OUT, BLOCKED ->
                    throw new IllegalStateException("unreachable: non-terminal state " + finished.state());
        };
    }

    /**
     * The index of the automatic rule that decides whether {@code job} is retried, or empty when
     * none applies (it passed, was canceled, or no rule matches its cause).
     */
    public static OptionalInt automaticRuleIndex(Job job) {
        List<RetryPolicy.AutomaticRetry> rules = job.retryPolicy().automatic();
        for (int i = 0; i < rules.size(); i++) {
            RetryPolicy.AutomaticRetry rule = rules.get(i);
            boolean decides = switch (job.state()) {
                case FAILED -> causeStatus(job) != null && rule.matches(causeStatus(job));
                case TIMED_OUT -> rule.exitStatus().isEmpty();
                case PENDING, QUEUED, ASSIGNED, RUNNING, PASSED, CANCELING, CANCELED, TIMING_OUT, EXPIRED,
                     SKIPPED, BLOCKED -> false;
            };
            if (decides) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    private static Integer causeStatus(Job failed) {
        return JobReason.AGENT_LOST.equals(failed.reason()) ? RetryPolicy.AGENT_LOST_EXIT_STATUS : failed.exitStatus();
    }

    private static Retry retry(Job finished, Instant at, String actor) {
        int attempt = finished.attempt() + 1;
        Job next = finished.toBuilder()
                .id(JobIds.of(finished.buildId(), finished.key(), attempt))
                .attempt(attempt)
                .state(JobState.QUEUED)
                .agentId(null).exitStatus(null).signal(null).reason(null)
                .createdAt(at).queuedAt(at).dispatchedAt(null).assignedAt(null).startedAt(null).finishedAt(null)
                .retryOf(finished.id()).retriedBy(null)
                .version(1).updatedAt(at).lastActor(actor)
                .build();
        Job previous = finished.next(at, actor).retriedBy(next.id()).build();
        return new Retry(previous, next);
    }
}
