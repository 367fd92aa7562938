package io.hybridci.core.approval;

import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildSource;
import io.hybridci.core.build.BuildState;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobReason;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.JobTransitions;
import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.pipeline.BlockStep;
import io.hybridci.core.pipeline.Step;
import io.hybridci.core.port.inmemory.InMemoryBuildRepository;
import io.hybridci.core.port.inmemory.InMemoryConcurrencySlots;
import io.hybridci.core.port.inmemory.InMemoryJobRepository;
import io.hybridci.core.port.inmemory.RecordingEventPublisher;
import io.hybridci.core.port.inmemory.RecordingJobDispatcher;
import io.hybridci.core.reaction.JobChange;
import io.hybridci.core.reaction.Reaction;
import io.hybridci.core.reaction.StateReactor;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Approving and rejecting block steps, and the field values reaching the steps after the gate. */
class BlockApprovalsTest {

    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    static final Instant NOW = T0.plusSeconds(60);
    static final String BUILD = "b-1";
    static final String PLANNER = "system:build-planner";
    static final String ALICE = "user:alice";
    static final BlockStep RELEASE_GATE = new BlockStep("release", "Release?", Optional.empty(), List.of(
            new BlockStep.Field("region", "Which region?", true, Optional.empty(), List.of("eu", "us")),
            new BlockStep.Field("notes", "Release notes", false, Optional.of("none"), List.of())),
            List.of("test"), List.of(), Optional.empty());

    final InMemoryJobRepository jobs = new InMemoryJobRepository();
    final InMemoryBuildRepository builds = new InMemoryBuildRepository();
    final RecordingJobDispatcher dispatcher = new RecordingJobDispatcher();
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final BlockApprovals approvals = new BlockApprovals(jobs, clock);
    final StateReactor reactor = new StateReactor(jobs, builds, dispatcher, new RecordingEventPublisher(),
            new InMemoryConcurrencySlots(), clock);

    @Test
    void shouldPassTheBlockJobAndRecordFieldsAndApprover_whenApprovedWithValidFields() {
        Job gate = create(blocked(RELEASE_GATE));

        ApprovalResult result = approvals.approve(gate.id(), Map.of("region", "eu"), ALICE);

        Job approved = assertInstanceOf(ApprovalResult.Done.class, result).job();
        assertEquals(JobState.PASSED, approved.state());
        assertEquals(ALICE, approved.lastActor());
        assertEquals(NOW, approved.finishedAt());
        assertEquals(Map.of("HYBRIDCI_FIELD_REGION", "eu", "HYBRIDCI_FIELD_NOTES", "none"), approved.env());
        assertEquals(approved, jobs.find(gate.id()).orElseThrow());
    }

    @Test
    void shouldRefuseAndLeaveTheJobBlocked_whenARequiredFieldIsMissingOrAValueIsNotAnOption() {
        Job gate = create(blocked(RELEASE_GATE));

        ApprovalResult missing = approvals.approve(gate.id(), Map.of(), ALICE);
        ApprovalResult wrongOption = approvals.approve(gate.id(), Map.of("region", "mars", "extra", "x"), ALICE);

        assertEquals(List.of("field \"region\" is required (Which region?)"),
                assertInstanceOf(ApprovalResult.InvalidFields.class, missing).problems());
        List<String> problems = assertInstanceOf(ApprovalResult.InvalidFields.class, wrongOption).problems();
        assertEquals(2, problems.size());
        assertTrue(problems.get(0).contains("must be one of [eu, us]"), problems.get(0));
        assertTrue(problems.get(1).contains("\"extra\" is not a field"), problems.get(1));
        assertEquals(JobState.BLOCKED, jobs.find(gate.id()).orElseThrow().state());
    }

    @Test
    void shouldFailTheBlockJobAsRejected_whenRejected() {
        Job gate = create(blocked(RELEASE_GATE));

        ApprovalResult result = approvals.reject(gate.id(), ALICE);

        Job rejected = assertInstanceOf(ApprovalResult.Done.class, result).job();
        assertEquals(JobState.FAILED, rejected.state());
        assertEquals(JobReason.REJECTED, rejected.reason());
        assertEquals(ALICE, rejected.lastActor());
    }

    @Test
    void shouldAnswerWithTheJobAsItIs_whenTheSameDecisionIsRepeated() {
        Job gate = create(blocked(RELEASE_GATE));
        Job first = ((ApprovalResult.Done) approvals.reject(gate.id(), ALICE)).job();

        ApprovalResult again = approvals.reject(gate.id(), "user:bob");

        assertEquals(first, assertInstanceOf(ApprovalResult.Done.class, again).job());
    }

    @Test
    void shouldConflict_whenApprovingARejectedGateOrACommandJobOrBeforeTheGateOpens() {
        Job gate = create(blocked(RELEASE_GATE));
        approvals.reject(gate.id(), ALICE);
        Job command = create(pending("build", List.of(), JobKind.COMMAND, null));
        Job notYetOpen = create(pending("later", List.of("build"), JobKind.BLOCK, null));

        assertInstanceOf(ApprovalResult.Conflict.class, approvals.approve(gate.id(), Map.of("region", "eu"), ALICE));
        String message = assertInstanceOf(ApprovalResult.Conflict.class,
                approvals.approve(command.id(), Map.of(), ALICE)).message();
        assertTrue(message.contains("not a block step"), message);
        assertInstanceOf(ApprovalResult.Conflict.class, approvals.approve(notYetOpen.id(), Map.of(), ALICE));
        assertInstanceOf(ApprovalResult.NotFound.class, approvals.approve("nope", Map.of(), ALICE));
    }

    @Test
    void shouldQueueDependentsWithTheFieldValues_whenTheGateIsApproved() {
        builds.create(build());
        Job gate = create(blocked(RELEASE_GATE));
        Job deploy = create(pending("deploy", List.of("release"), JobKind.COMMAND, Map.of("HYBRIDCI_FIELD_NOTES", "own")));
        Job smoke = create(pending("smoke", List.of("deploy"), JobKind.COMMAND, Map.of()));
        Job approved = ((ApprovalResult.Done) approvals.approve(gate.id(), Map.of("region", "us"), ALICE)).job();

        Reaction reaction = reactor.react(new JobChange("e1", gate, approved));
        Job queued = jobs.find(deploy.id()).orElseThrow();
        // The next step down the chain inherits through the deploy step once that one passes.
        Job running = JobTransitions.apply(JobTransitions.apply(queued, new JobEvent.Accept("a-1", NOW)).orElseThrow(),
                new JobEvent.Start("a-1", NOW)).orElseThrow();
        Job passed = JobTransitions.apply(running, new JobEvent.Finish("a-1", 0, null, NOW)).orElseThrow();
        jobs.update(passed, queued.version());
        reactor.react(new JobChange("e2", running, passed));

        assertEquals(Map.of(deploy.id(), JobState.QUEUED), reaction.movedDependents());
        assertEquals("us", queued.env().get("HYBRIDCI_FIELD_REGION"));
        assertEquals("own", queued.env().get("HYBRIDCI_FIELD_NOTES"), "the step's own env wins");
        Job queuedSmoke = jobs.find(smoke.id()).orElseThrow();
        assertEquals(JobState.QUEUED, queuedSmoke.state());
        assertEquals("us", queuedSmoke.env().get("HYBRIDCI_FIELD_REGION"));
    }

    @Test
    void shouldFailTheBuildAndSkipTheStepsAfterTheGate_whenRejected() {
        builds.create(build());
        Job gate = create(blocked(RELEASE_GATE));
        Job deploy = create(pending("deploy", List.of("release"), JobKind.COMMAND, Map.of()));
        Job rejected = ((ApprovalResult.Done) approvals.reject(gate.id(), ALICE)).job();

        Reaction reaction = reactor.react(new JobChange("e1", gate, rejected));

        assertEquals(Map.of(deploy.id(), JobState.SKIPPED), reaction.movedDependents());
        assertEquals(Optional.of(BuildState.FAILED), reaction.buildMovedTo());
        assertFalse(dispatcher.sent().stream().anyMatch(sent -> sent.messageJson().contains(deploy.id())));
    }

    @Test
    void shouldNotChangeTheEnv_whenNoBlockStepIsAmongTheDependencies() {
        Job build = pending("build", List.of(), JobKind.COMMAND, Map.of("A", "1"));
        Job test = pending("test", List.of("build"), JobKind.COMMAND, Map.of());

        Job inherited = BlockFields.inherit(test, Map.of("build", build, "test", test));

        assertEquals(test, inherited);
        assertEquals("HYBRIDCI_FIELD_RELEASE_NOTES", BlockFields.envName("release-notes"));
    }

    // ------------------------------------------------------------------ fixtures

    static Build build() {
        return Build.created(BUILD, "acme/widgets", "https://github.com/acme/widgets.git", "main", null,
                "9f2c1e0b7d4a5c3e8f1b2a6d0c9e7f4a3b5d1c2e", "Fix", "octocat", "octocat", BuildSource.PUSH, null, T0,
                "github:octocat");
    }

    static Job pending(String key, List<String> dependsOn, JobKind kind, Map<String, String> env) {
        Step step = kind == JobKind.BLOCK
                ? new BlockStep(key, key, Optional.empty(), List.of(), dependsOn, List.of(), Optional.empty())
                : null;
        return Job.planned(BUILD, key, "Step " + key, kind, "default", 0, dependsOn,
                kind == JobKind.BLOCK ? null : "make " + key, env == null ? Map.of() : env, 10,
                RetryPolicy.DEFAULT, T0, PLANNER).toBuilder().step(step).build();
    }

    static Job blocked(BlockStep step) {
        Job planned = Job.planned(BUILD, step.key(), step.label(), JobKind.BLOCK, "default", 0, List.of(), null,
                Map.of(), null, new RetryPolicy(List.of(), false), T0, PLANNER).toBuilder().step(step).build();
        return JobTransitions.apply(planned, new JobEvent.Block(T0.plusSeconds(1), PLANNER)).orElseThrow();
    }

    Job create(Job job) {
        assertTrue(jobs.create(job).written());
        return job;
    }
}
