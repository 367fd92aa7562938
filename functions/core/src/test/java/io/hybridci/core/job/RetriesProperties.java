package io.hybridci.core.job;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Automatic retries never exceed their rules' limits, whatever the policy and the outcomes. */
class RetriesProperties {

    /** How a generated attempt ends. */
    record Outcome(JobState state, int exitStatus, boolean agentLost) {
    }

    @Provide
    Arbitrary<RetryPolicy> policies() {
        Arbitrary<RetryPolicy.AutomaticRetry> rule = Combinators.combine(
                        Arbitraries.of(1, 2, RetryPolicy.AGENT_LOST_EXIT_STATUS).optional(0.7),
                        Arbitraries.integers().between(1, 3))
                .as(RetryPolicy.AutomaticRetry::new);
        return Combinators.combine(rule.list().ofMaxSize(3), Arbitraries.of(true, false)).as(RetryPolicy::new);
    }

    @Provide
    Arbitrary<List<Outcome>> outcomes() {
        Arbitrary<Outcome> outcome = Arbitraries.oneOf(
                Arbitraries.of(1, 2, 3).map(status -> new Outcome(JobState.FAILED, status, false)),
                Arbitraries.just(new Outcome(JobState.FAILED, RetryPolicy.AGENT_LOST_EXIT_STATUS, true)),
                Arbitraries.just(new Outcome(JobState.TIMED_OUT, 143, false)),
                Arbitraries.just(new Outcome(JobState.PASSED, 0, false)));
        return outcome.list().ofMinSize(1).ofMaxSize(20);
    }

    private static Job attempt(int attempt, Outcome outcome, RetryPolicy policy) {
        Job job = JobFixtures.inState(outcome.state(), "test", attempt, JobKind.COMMAND, policy).toBuilder()
                .exitStatus(outcome.exitStatus()).build();
        return outcome.agentLost() ? job.toBuilder().reason(JobReason.AGENT_LOST).build() : job;
    }

    @Property(tries = 1000)
    void automaticRetriesNeverExceedTheirRulesLimits(@ForAll("policies") RetryPolicy policy,
                                                     @ForAll("outcomes") List<Outcome> outcomes) {
        List<Job> earlier = new ArrayList<>();
        Map<Integer, Integer> retriesPerRule = new HashMap<>();
        Job current = attempt(1, outcomes.getFirst(), policy);
        for (int i = 1; i < outcomes.size(); i++) {
            OptionalInt rule = Retries.automaticRuleIndex(current);
            Optional<Retry> retry = Retries.automaticRetry(current, earlier);
            if (retry.isEmpty()) {
                break;
            }
            assertTrue(rule.isPresent(), "retried without a rule: " + current);
            retriesPerRule.merge(rule.getAsInt(), 1, Integer::sum);
            Job next = retry.get().next();
            assertEquals(current.attempt() + 1, next.attempt());
            assertEquals(JobIds.of(current.buildId(), current.key(), next.attempt()), next.id());
            assertEquals(current.id(), next.retryOf());
            assertEquals(next.id(), retry.get().previous().retriedBy());
            assertEquals(JobState.QUEUED, next.state());
            assertNull(next.agentId());
            earlier.add(retry.get().previous());
            current = attempt(next.attempt(), outcomes.get(i), policy);
        }

        int sumOfLimits = 0;
        for (int index = 0; index < policy.automatic().size(); index++) {
            int limit = policy.automatic().get(index).limit();
            sumOfLimits += limit;
            assertTrue(retriesPerRule.getOrDefault(index, 0) <= limit,
                    "rule " + index + " retried " + retriesPerRule.get(index) + " times, limit " + limit);
        }
        assertTrue(current.attempt() <= 1 + sumOfLimits);
    }

    @Property(tries = 300)
    void aRetriedAttemptIsNeverRetriedAgain(@ForAll("policies") RetryPolicy policy,
                                            @ForAll("outcomes") List<Outcome> outcomes) {
        Job finished = attempt(1, outcomes.getFirst(), policy);

        Optional<Retry> retry = Retries.automaticRetry(finished, List.of());

        retry.ifPresent(decided -> {
            assertTrue(Retries.automaticRetry(decided.previous(), List.of()).isEmpty());
            assertFalse(Retries.manualRetry(decided.previous(), JobFixtures.T0, "user:u").isSuccessOrDuplicate());
        });
        assertEquals(retry.isPresent(), Retries.automaticRuleIndex(finished).isPresent());
    }
}
