package io.hybridci.aws.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.agent.Agent;
import io.hybridci.core.agent.AgentState;
import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildSource;
import io.hybridci.core.build.BuildState;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.RetryPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ItemMappersTest {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    static Build pushBuild() {
        return Build.created("b-1", "acme/app", "https://github.com/acme/app.git", "main", null, "abc123",
                "fix things", "alice", "alice", BuildSource.PUSH, null, T0, "github:alice");
    }

    static Job plannedJob() {
        return Job.planned("b-1", "test", "Run tests", JobKind.COMMAND, "default", 0, List.of(), "make test",
                Map.of(), null, RetryPolicy.DEFAULT, T0, "system:build-planner");
    }

    @Test
    void shouldRoundTripBuild_whenOptionalFieldsAreNull() {
        Build build = pushBuild();
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = BuildItems.toItem(build);

        assertEquals(build, BuildItems.fromItem(item));
        assertEquals("BUILD#b-1", item.get("pk").s());
        assertEquals("BUILD", item.get("sk").s());
        assertEquals("build", item.get("type").s());
        assertEquals("1", item.get("version").n());
        assertEquals("github:alice", item.get("lastActor").s());
        assertEquals("BUILDS", item.get("gsi1pk").s());
        assertEquals("2025-03-01T10:00:00.000000000Z#b-1", item.get("gsi1sk").s());
        assertEquals("BRANCH#acme/app#main", item.get("gsi2pk").s());
        assertFalse(item.containsKey("tag"), "null attributes are omitted");
    }

    @Test
    void shouldRoundTripBuild_whenPullRequestAndFinished() {
        Build build = Build.created("b-2", "acme/app", "https://x", "feature", null, "def", null, null, null,
                BuildSource.PULL_REQUEST, 42, T0, "github:bob")
                .withPipelineSteps(4, T0.plusSeconds(10), "system:build-planner")
                .withState(BuildState.PASSED, T0.plusSeconds(30), "system:state-reactor");

        Build back = BuildItems.fromItem(BuildItems.toItem(build));

        assertEquals(build, back);
        assertEquals(4, back.pipelineSteps());
        assertEquals(42, back.pullRequestNumber());
        assertEquals(3, back.version());
    }

    @Test
    void shouldLeaveBranchIndexOut_whenBuildIsForATag() {
        Build tagBuild = Build.created("b-3", "acme/app", "https://x", null, "v1.0", "abc", null, null, null,
                BuildSource.PUSH, null, T0, "github:alice");

        var item = BuildItems.toItem(tagBuild);

        assertFalse(item.containsKey("gsi2pk"));
        assertEquals(tagBuild, BuildItems.fromItem(item));
    }

    @Test
    void shouldRoundTripJob_whenEnvIsEmptyAndFieldsAreNull() {
        Job job = plannedJob();

        var item = JobItems.toItem(job);

        assertEquals(job, JobItems.fromItem(item));
        assertEquals("JOB#" + job.id(), item.get("pk").s());
        assertEquals("JOB", item.get("sk").s());
        assertEquals("job", item.get("type").s());
        assertEquals("BUILD#b-1", item.get("gsi1pk").s());
        assertEquals("JOB#test#0001", item.get("gsi1sk").s());
        assertFalse(item.containsKey("gsi2pk"), "a PENDING job is not in the active index");
        assertTrue(item.get("env").hasM());
    }

    @Test
    void shouldRoundTripJob_whenEveryFieldIsSet() {
        var policy = new RetryPolicy(List.of(RetryPolicy.AutomaticRetry.onExitStatus(-1, 2),
                RetryPolicy.AutomaticRetry.onAnyFailure(3)), false);
        Job job = new Job("j-9", "b-1", "deploy", "Deploy", 3, JobState.RUNNING, "linux", 5, List.of("build", "test"),
                JobKind.DEPLOY, "./deploy.sh", Map.of("A", "1", "B", ""), 30, policy, "agent-7", 1, "SIGTERM",
                "timeout", T0, T0.plusMillis(1), T0.plusMillis(2), T0.plusMillis(3), T0.plusNanos(4000),
                T0.plusSeconds(5), "j-8", "j-10", 7, T0.plusSeconds(6), "agent:agent-7");

        var item = JobItems.toItem(job);
        Job back = JobItems.fromItem(item);

        assertEquals(job, back);
        assertEquals(Optional.empty(), back.retryPolicy().automatic().get(1).exitStatus());
        assertEquals("JOB#deploy#0003", item.get("gsi1sk").s());
        assertEquals("ACTIVE#linux", item.get("gsi2pk").s());
        assertEquals("RUNNING#2025-03-01T10:00:00.001000000Z#j-9", item.get("gsi2sk").s());
    }

    @Test
    void shouldIndexQueuedJobsAsActive_whenQueued() {
        Job queued = plannedJob().toBuilder().state(JobState.QUEUED).queuedAt(T0).build();

        assertEquals("ACTIVE#default", JobItems.toItem(queued).get("gsi2pk").s());
        assertFalse(JobItems.toItem(queued.withState(JobState.PASSED)).containsKey("gsi2pk"));
    }

    @Test
    void shouldRoundTripAgent_whenIdleAndLive() {
        Agent agent = Agent.registered("a-1", "builder-1", List.of("default", "linux"), "1.0.0", T0,
                T0.plusSeconds(3600), "agent:a-1");

        var item = AgentItems.toItem(agent);

        assertEquals(agent, AgentItems.fromItem(item));
        assertEquals("AGENT#a-1", item.get("pk").s());
        assertEquals("agent", item.get("type").s());
        assertEquals("builder-1#a-1", item.get("gsi1sk").s());
        assertEquals("AGENTS#LIVE", item.get("gsi2pk").s());
    }

    @Test
    void shouldLeaveLiveIndexOut_whenAgentIsLost() {
        Agent lost = new Agent("a-2", "b", List.of(), AgentState.LOST, null, null, T0, T0, null, 3, T0, "system:reaper");

        var item = AgentItems.toItem(lost);

        assertFalse(item.containsKey("gsi2pk"));
        assertEquals(lost, AgentItems.fromItem(item));
    }

    @Test
    void shouldSortTimesAsStrings_whenFractionsDiffer() {
        String whole = StateItems.sortable(Instant.parse("2025-03-01T10:00:00Z"));
        String half = StateItems.sortable(Instant.parse("2025-03-01T10:00:00.5Z"));

        assertTrue(whole.compareTo(half) < 0, whole + " must sort before " + half);
    }
}
