package io.hybridci.core.job;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

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
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/** Automatic retries never exceed their rules' limits, whatever the policy and the outcomes. */
class RetriesProperties {

    /** How a generated attempt ends. */
    record Outcome(JobState state, int exitStatus, boolean agentLost) {
    }

    /** Up to three rules, each on exit status 1, 2 or agent-lost (70%) or on any failure (30%), limit 1 to 3. */
    static Gen<RetryPolicy> policies() {
        Gen<RetryPolicy.AutomaticRetry> rule = Generate.pick(List.of(1, 2, RetryPolicy.AGENT_LOST_EXIT_STATUS))
                .toOptionals(30)
                .zip(integers().between(1, 3), RetryPolicy.AutomaticRetry::new);
        return lists().of(rule).ofSizeBetween(0, 3).zip(booleans().all(), RetryPolicy::new);
    }

    /** One to twenty attempt outcomes: failed with 1, 2 or 3, agent lost, timed out, or passed. */
    static Gen<List<Outcome>> outcomes() {
        Gen<Outcome> outcome = Generate.oneOf(
                Generate.pick(List.of(1, 2, 3)).map(status -> new Outcome(JobState.FAILED, status, false)),
                Generate.constant(new Outcome(JobState.FAILED, RetryPolicy.AGENT_LOST_EXIT_STATUS, true)),
                Generate.constant(new Outcome(JobState.TIMED_OUT, 143, false)),
                Generate.constant(new Outcome(JobState.PASSED, 0, false)));
        return lists().of(outcome).ofSizeBetween(1, 20);
    }

    private static Job attempt(int attempt, Outcome outcome, RetryPolicy policy) {
        Job job = JobFixtures.inState(outcome.state(), "test", attempt, JobKind.COMMAND, policy).toBuilder()
                .exitStatus(outcome.exitStatus()).build();
        return outcome.agentLost() ? job.toBuilder().reason(JobReason.AGENT_LOST).build() : job;
    }

    @Test
    void automaticRetriesNeverExceedTheirRulesLimits() {
        qt().withExamples(1000).forAll(policies(), outcomes())
                .checkAssert(RetriesProperties::automaticRetriesNeverExceedTheirRulesLimits);
    }

    private static void automaticRetriesNeverExceedTheirRulesLimits(RetryPolicy policy, List<Outcome> outcomes) {
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

    @Test
    void aRetriedAttemptIsNeverRetriedAgain() {
        qt().withExamples(300).forAll(policies(), outcomes())
                .checkAssert(RetriesProperties::aRetriedAttemptIsNeverRetriedAgain);
    }

    private static void aRetriedAttemptIsNeverRetriedAgain(RetryPolicy policy, List<Outcome> outcomes) {
        Job finished = attempt(1, outcomes.getFirst(), policy);

        Optional<Retry> retry = Retries.automaticRetry(finished, List.of());

        retry.ifPresent(decided -> {
            assertTrue(Retries.automaticRetry(decided.previous(), List.of()).isEmpty());
            assertFalse(Retries.manualRetry(decided.previous(), JobFixtures.T0, "user:u").isSuccessOrDuplicate());
        });
        assertEquals(retry.isPresent(), Retries.automaticRuleIndex(finished).isPresent());
    }
}
