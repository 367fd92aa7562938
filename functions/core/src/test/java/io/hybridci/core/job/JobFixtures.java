package io.hybridci.core.job;

import io.hybridci.core.statemachine.Actors;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Jobs in a given state, with the fields that state implies, for tests of every package. */
public final class JobFixtures {

    public static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    public static final String BUILD = "build-1";
    public static final String AGENT = "agent-1";
    public static final String OTHER_AGENT = "agent-2";
    public static final String PLANNER = Actors.system("build-planner");

    private JobFixtures() {
    }

    public static Job planned(String key, JobKind kind, List<String> dependsOn, RetryPolicy policy) {
        return Job.planned(BUILD, key, "Step " + key, kind, "default", 0, dependsOn,
                kind == JobKind.BLOCK ? null : "make " + key, Map.of(), 10, policy, T0, PLANNER);
    }

    public static Job planned(JobKind kind) {
        return planned("test", kind, List.of(), RetryPolicy.DEFAULT);
    }

    /** A command job (a block job for BLOCKED) in {@code state}, held by {@link #AGENT} where that makes sense. */
    public static Job inState(JobState state) {
        return inState(state, "test", 1, state == JobState.BLOCKED ? JobKind.BLOCK : JobKind.COMMAND,
                RetryPolicy.DEFAULT);
    }

    public static Job inState(JobState state, String key, int attempt, JobKind kind, RetryPolicy policy) {
        Job.Builder builder = planned(key, kind, List.of(), policy).toBuilder()
                .id(JobIds.of(BUILD, key, attempt)).attempt(attempt).state(state);
        boolean heldByAgent = switch (state) {
            case ASSIGNED, RUNNING, CANCELING, TIMING_OUT, PASSED, FAILED, TIMED_OUT -> kind != JobKind.BLOCK;
            case PENDING, QUEUED, CANCELED, EXPIRED, SKIPPED, BLOCKED -> false;
        };
        if (heldByAgent) {
            builder.agentId(AGENT).assignedAt(T0.plusSeconds(2));
        }
        if (state == JobState.PASSED && kind != JobKind.BLOCK) {
            builder.exitStatus(0);
        }
        if (state == JobState.FAILED) {
            builder.exitStatus(1);
        }
        if (state.isTerminal()) {
            builder.finishedAt(T0.plusSeconds(10));
        }
        return builder.build();
    }
}
