package io.hybridci.core.build;

import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobFixtures;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.JobTransitions;
import io.hybridci.core.job.Retries;
import io.hybridci.core.job.Retry;
import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.statemachine.Transition;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

/** The build state is a function of its jobs' latest attempts, and behaves like one. */
class BuildRollupProperties {

    record Spec(int key, int attempt, JobState state) {
    }

    /** Up to 12 attempts over keys k0..k4, attempts 1..3, in any state. */
    static Gen<List<Job>> jobSets() {
        Gen<Spec> spec = integers().between(0, 4)
                .zip(integers().between(1, 3), Generate.enumValues(JobState.class), Spec::new);
        return lists().of(spec).ofSizeBetween(0, 12).map(specs -> {
            // One item per (key, attempt), as in the table.
            Map<String, Job> byId = new HashMap<>();
            for (Spec s : specs) {
                JobKind kind = s.state() == JobState.BLOCKED ? JobKind.BLOCK : JobKind.COMMAND;
                Job job = JobFixtures.inState(s.state(), "k" + s.key(), s.attempt(), kind, RetryPolicy.DEFAULT);
                byId.put(job.id(), job);
            }
            return List.copyOf(byId.values());
        });
    }

    private static Collection<Job> latest(List<Job> jobs) {
        return BuildRollup.latestByKey(jobs).values();
    }

    @Test
    void theRollupDoesNotDependOnOrder() {
        qt().withExamples(1000).forAll(jobSets(), longs().all()).checkAssert((jobs, seed) -> {
            List<Job> shuffled = new ArrayList<>(jobs);
            Collections.shuffle(shuffled, new Random(seed));

            assertEquals(BuildRollup.of(jobs), BuildRollup.of(shuffled));
        });
    }

    @Test
    void onlyTheLatestAttemptOfEachKeyCounts() {
        qt().withExamples(1000).forAll(jobSets()).checkAssert(jobs ->
                assertEquals(BuildRollup.of(jobs), BuildRollup.of(List.copyOf(latest(jobs)))));
    }

    @Test
    void theRollupFollowsItsRules() {
        qt().withExamples(1000).forAll(jobSets()).checkAssert(BuildRollupProperties::theRollupFollowsItsRules);
    }

    private static void theRollupFollowsItsRules(List<Job> jobs) {
        Collection<Job> latest = latest(jobs);
        BuildState state = BuildRollup.of(jobs);
        boolean allTerminal = latest.stream().allMatch(job -> job.state().isTerminal());

        if (latest.stream().anyMatch(job -> job.state().isActive())) {
            assertEquals(BuildState.RUNNING, state);
        }
        if (!latest.isEmpty() && latest.stream().allMatch(job -> job.state() == JobState.PASSED)) {
            assertEquals(BuildState.PASSED, state);
        }
        assertEquals(!latest.isEmpty() && allTerminal, state.isFinished());
        assertEquals(!latest.isEmpty() && allTerminal && latest.stream().anyMatch(job -> job.state().isFailure()),
                state == BuildState.FAILED);
        if (state == BuildState.PASSED) {
            assertTrue(latest.stream().allMatch(job -> job.state() == JobState.PASSED || job.state() == JobState.SKIPPED));
        }
        if (state == BuildState.BLOCKED) {
            assertTrue(latest.stream().anyMatch(job -> job.state() == JobState.BLOCKED));
        }
    }

    @Test
    void aRetriedFailureNeverFailsABuildWhoseRetryPassed() {
        qt().withExamples(500).forAll(jobSets())
                .checkAssert(BuildRollupProperties::aRetriedFailureNeverFailsABuildWhoseRetryPassed);
    }

    private static void aRetriedFailureNeverFailsABuildWhoseRetryPassed(List<Job> jobs) {
        List<Job> withRetry = new ArrayList<>(jobs);
        Job failed = JobFixtures.inState(JobState.FAILED, "retried", 1, JobKind.COMMAND, RetryPolicy.DEFAULT);
        Job passed = JobFixtures.inState(JobState.PASSED, "retried", 2, JobKind.COMMAND, RetryPolicy.DEFAULT);
        withRetry.add(failed.withRetriedBy(passed.id()));
        withRetry.add(passed);
        List<Job> withPassOnly = new ArrayList<>(jobs);
        withPassOnly.add(passed);

        assertEquals(BuildRollup.of(withPassOnly), BuildRollup.of(withRetry));
    }

    /** One simulated reactor step: an event for one of the build's keys. */
    record Poke(int key, int verb, int exitStatus) {
    }

    /** Up to 40 events, each for key a, b or c, of seven kinds, with exit status 0, 1 or agent-lost. */
    static Gen<List<Poke>> pokes() {
        Gen<Poke> poke = integers().between(0, 2).zip(integers().between(0, 6),
                Generate.pick(List.of(0, 1, RetryPolicy.AGENT_LOST_EXIT_STATUS)), Poke::new);
        return lists().of(poke).ofSizeBetween(0, 40);
    }

    /**
     * A small state-reactor: jobs a → b → c, events hit the latest attempt of a key, finished jobs
     * get their automatic retry before dependents are evaluated, and the build is re-derived after
     * every change. The stored build must always equal the rollup of the stored jobs.
     */
    @Test
    void theStoredBuildAlwaysEqualsTheRollupOfItsJobs() {
        qt().withExamples(500).forAll(pokes())
                .checkAssert(BuildRollupProperties::theStoredBuildAlwaysEqualsTheRollupOfItsJobs);
    }

    private static void theStoredBuildAlwaysEqualsTheRollupOfItsJobs(List<Poke> pokes) {
        String reactor = "system:state-reactor";
        List<Job> jobs = new ArrayList<>(List.of(
                JobFixtures.planned("a", JobKind.COMMAND, List.of(), RetryPolicy.DEFAULT),
                JobFixtures.planned("b", JobKind.COMMAND, List.of("a"), RetryPolicy.DEFAULT),
                JobFixtures.planned("c", JobKind.COMMAND, List.of("b"), RetryPolicy.DEFAULT)));
        Build build = Build.created(JobFixtures.BUILD, "acme/app", "https://example.com/app.git", "main", null, "abc",
                "m", "alice", "alice", BuildSource.PUSH, null, JobFixtures.T0, "github:alice");
        Instant at = JobFixtures.T0;
        for (Poke poke : pokes) {
            at = at.plusSeconds(1);
            Job target = BuildRollup.latestByKey(jobs).get(List.of("a", "b", "c").get(poke.key()));
            JobEvent event = switch (poke.verb()) {
                case 0 -> new JobEvent.Accept(JobFixtures.AGENT, at);
                case 1 -> new JobEvent.Start(JobFixtures.AGENT, at);
                case 2 -> new JobEvent.Finish(JobFixtures.AGENT, poke.exitStatus(), null, at);
                case 3 -> new JobEvent.AgentLost(JobFixtures.AGENT, at, "system:reaper");
                case 4 -> new JobEvent.Cancel("user:u", "canceled_by_user", at);
                case 5 -> new JobEvent.Expire(at, "system:reaper");
                default -> new JobEvent.TimeOut(at, "system:reaper");
            };
            if (!(JobTransitions.apply(target, event) instanceof Transition.Moved<Job>(Job changed))) {
                continue;
            }
            replace(jobs, changed);
            if (changed.state().isTerminal()) {
                List<Job> sameKey = jobs.stream().filter(job -> job.key().equals(changed.key())).toList();
                for (Retry retry : Retries.automaticRetry(changed, sameKey).stream().toList()) {
                    replace(jobs, retry.previous());
                    jobs.add(retry.next());
                }
            }
            settleDependents(jobs, at, reactor);
            BuildState before = build.state();
            Transition<Build> rolled = BuildRollup.apply(build, jobs, at, reactor);
            if (rolled instanceof Transition.Moved<Build>(Build next)) {
                assertNotEquals(before, next.state());
                assertEquals(build.version() + 1, next.version());
                build = next;
            }
            assertEquals(BuildRollup.of(jobs), build.state());
            if (build.state() == BuildState.PASSED) {
                assertTrue(BuildRollup.latestByKey(jobs).values().stream()
                        .allMatch(job -> job.state() == JobState.PASSED), jobs.toString());
            }
        }
    }

    private static void settleDependents(List<Job> jobs, Instant at, String actor) {
        boolean changed = true;
        while (changed) {
            changed = false;
            Map<String, Job> latest = BuildRollup.latestByKey(jobs);
            for (Job job : latest.values()) {
                JobEvent event = switch (Dependencies.evaluate(job, latest)) {
                    case DependencyDecision.Ready _ -> new JobEvent.Queue(at, actor);
                    case DependencyDecision.Skip skip -> new JobEvent.Skip(skip.reason(), at, actor);
                    case DependencyDecision.Waiting _, DependencyDecision.NotPending _ -> null;
                };
                if (event != null && JobTransitions.apply(job, event) instanceof Transition.Moved<Job>(Job next)) {
                    replace(jobs, next);
                    changed = true;
                }
            }
        }
    }

    private static void replace(List<Job> jobs, Job changed) {
        jobs.replaceAll(job -> job.id().equals(changed.id()) ? changed : job);
    }
}
