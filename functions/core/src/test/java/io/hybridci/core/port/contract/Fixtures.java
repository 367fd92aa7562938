package io.hybridci.core.port.contract;

import io.hybridci.core.agent.Agent;
import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildSource;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.RetryPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Values the port contracts store; ids are unique per call so adapters may share a table. */
public final class Fixtures {
    public static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private Fixtures() {
    }

    public static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    public static Build build(String id, Instant createdAt) {
        return Build.created(id, "acme/app", "https://github.com/acme/app.git", "main", null, "abc123", "msg",
                "alice", "alice", BuildSource.PUSH, null, createdAt, "github:alice");
    }

    public static Job job(String buildId, String key, int attempt, JobState state, String queue) {
        Job planned = Job.planned(buildId, key, "Step " + key, JobKind.COMMAND, queue, 0, List.of(), "make " + key,
                Map.of(), null, RetryPolicy.DEFAULT, T0, "system:build-planner");
        return planned.toBuilder().id(buildId + "-" + key + "-" + attempt).attempt(attempt).state(state)
                .queuedAt(state == JobState.PENDING ? null : T0.plusSeconds(attempt)).build();
    }

    public static Agent agent(String id, String name) {
        return Agent.registered(id, name, List.of("default"), "1.0.0", T0, T0.plusSeconds(3600), "agent:" + id);
    }
}
