package io.hybridci.core.reaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.approval.ApprovalResult;
import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildSource;
import io.hybridci.core.deployment.Color;
import io.hybridci.core.deployment.Deployment;
import io.hybridci.core.deployment.DeploymentState;
import io.hybridci.core.deployment.Deployments;
import io.hybridci.core.deployment.Environment;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.JobTransitions;
import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.pipeline.ConcurrencyLimit;
import io.hybridci.core.pipeline.DeployStep;
import io.hybridci.core.port.EventPublisher.BusEvent;
import io.hybridci.core.port.inmemory.InMemoryAuditLog;
import io.hybridci.core.port.inmemory.InMemoryBuildRepository;
import io.hybridci.core.port.inmemory.InMemoryLogStore;
import io.hybridci.core.userapi.JobCommandResult;
import io.hybridci.core.userapi.UserApi;
import io.hybridci.core.port.inmemory.InMemoryConcurrencySlots;
import io.hybridci.core.port.inmemory.InMemoryDeploymentStore;
import io.hybridci.core.port.inmemory.InMemoryJobRepository;
import io.hybridci.core.port.inmemory.RecordingEventPublisher;
import io.hybridci.core.port.inmemory.RecordingJobDispatcher;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The state-reactor, job-updater and api use cases of deployments on in-memory ports: environments created on
 * first deploy, approval, branch protection, blue-green colours, supersede, rollback after a failed health check
 * and through the API.
 */
class StateReactorDeploymentTest {

    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    static final String PLANNER = "system:build-planner";
    static final String AGENT = "agent:a-1";

    final InMemoryJobRepository jobs = new InMemoryJobRepository();
    final InMemoryBuildRepository builds = new InMemoryBuildRepository();
    final InMemoryDeploymentStore store = new InMemoryDeploymentStore();
    final RecordingEventPublisher events = new RecordingEventPublisher();
    final Clock clock = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
    final StateReactor reactor = new StateReactor(jobs, builds, new RecordingJobDispatcher(), events,
            new InMemoryConcurrencySlots(), store, clock);
    final Deployments deployments = new Deployments(store, jobs, clock);

    @Test
    void shouldDeployToBlueThenGreen_andSupersedeThePreviousLiveDeployment() {
        Job first = deployLive("b-1", "main", commit('1'));

        Environment afterFirst = store.findEnvironment("production").orElseThrow();
        assertEquals(Color.BLUE, afterFirst.liveColor());
        assertEquals(commit('1'), afterFirst.liveVersion());
        assertEquals(first.id(), afterFirst.liveDeploymentId());

        Job second = deployLive("b-2", "main", commit('2'));

        Environment afterSecond = store.findEnvironment("production").orElseThrow();
        assertEquals(Color.GREEN, afterSecond.liveColor());
        assertEquals(commit('2'), afterSecond.liveVersion());
        assertEquals(first.id(), afterSecond.previousDeploymentId());
        assertEquals(DeploymentState.SUPERSEDED, deployment(first).state());
        assertEquals(DeploymentState.LIVE, deployment(second).state());
        assertTrue(events.published().stream().map(BusEvent::detailJson)
                        .anyMatch(detail -> detail.contains("\"to\":\"LIVE\"") && detail.contains("\"color\":\"green\"")),
                "Deployment State Changed for the green deployment going live");
    }

    @Test
    void shouldBlockTheDeployJob_untilAnAllowedRoleApproves() {
        deployments.putEnvironment("production", new Environment.Protection(true, List.of(), List.of("admin")), "user:admin");
        Job job = plan("b-1", "main", commit('1'));

        assertEquals(JobState.BLOCKED, stored(job).state());
        assertEquals(DeploymentState.PENDING_APPROVAL, deployment(job).state());

        assertInstanceOf(ApprovalResult.Forbidden.class, deployments.approve(job.id(), "user:op", "operator").orElseThrow());
        assertEquals(JobState.BLOCKED, stored(job).state());

        Job blocked = stored(job);
        ApprovalResult.Done done = assertInstanceOf(ApprovalResult.Done.class,
                deployments.approve(job.id(), "user:alice", "admin").orElseThrow());
        assertEquals(JobState.PENDING, done.job().state());
        reactor.react(new JobChange("e-approved", blocked, done.job()));

        Job queued = stored(job);
        assertEquals(JobState.QUEUED, queued.state());
        assertEquals("blue", queued.env().get(Deployments.ENV_COLOR));
        assertEquals("user:alice", deployment(job).approvedBy());
        assertEquals(DeploymentState.DEPLOYING, deployment(job).state());
    }

    @Test
    void shouldFailTheDeployJobWithTheReason_whenTheBranchIsNotAllowed() {
        deployments.putEnvironment("production", new Environment.Protection(false, List.of("main"), List.of()), "user:admin");

        Job job = plan("b-1", "feature/x", commit('1'));

        Job refused = stored(job);
        assertEquals(JobState.FAILED, refused.state());
        assertEquals("environment \"production\" allows deploys only from branches main; this build is on branch "
                + "\"feature/x\"", refused.reason());
        assertTrue(store.findDeployment(job.id()).isEmpty(), "a refused deploy creates no deployment");
    }

    @Test
    void shouldRollBackAndKeepTheLiveColour_whenTheHealthCheckFails() {
        deployLive("b-1", "main", commit('1'));
        Job job = plan("b-2", "main", commit('2'));
        assertEquals("green", stored(job).env().get(Deployments.ENV_COLOR));

        deployments.reportPhase(job.id(), Deployments.Phase.VERIFYING, null, T0.plusSeconds(70), AGENT);
        deployments.reportPhase(job.id(), Deployments.Phase.ROLLED_BACK, "health_check_failed", T0.plusSeconds(71), AGENT);
        finish(job, 1);

        assertEquals(DeploymentState.ROLLED_BACK, deployment(job).state());
        assertEquals("health_check_failed", deployment(job).reason());
        assertEquals(Color.BLUE, store.findEnvironment("production").orElseThrow().liveColor());
        assertEquals(commit('1'), store.findEnvironment("production").orElseThrow().liveVersion());
    }

    @Test
    void shouldPutThePreviousVersionBack_whenRolledBackThroughTheApi() {
        Job first = deployLive("b-1", "main", commit('1'));
        Job second = deployLive("b-2", "main", commit('2'));

        Deployments.RollbackResult.Started started = assertInstanceOf(Deployments.RollbackResult.Started.class,
                deployments.rollback("production", "user:alice"));
        assertEquals(started.job().id(), assertInstanceOf(Deployments.RollbackResult.Started.class,
                deployments.rollback("production", "user:alice")).job().id(), "a repeated rollback is the same one");
        reactor.react(new JobChange("e-rollback", null, started.job()));

        Job queued = stored(started.job());
        assertEquals(JobState.QUEUED, queued.state());
        assertEquals("./switch.sh", queued.command());
        assertEquals("blue", queued.env().get(Deployments.ENV_COLOR));
        assertEquals(commit('1'), queued.env().get(Deployments.ENV_VERSION));
        goLive(queued);

        Environment environment = store.findEnvironment("production").orElseThrow();
        assertEquals(Color.BLUE, environment.liveColor());
        assertEquals(commit('1'), environment.liveVersion());
        assertEquals(DeploymentState.ROLLED_BACK, deployment(second).state());
        assertEquals(DeploymentState.SUPERSEDED, deployment(first).state());
        assertInstanceOf(Deployments.RollbackResult.Conflict.class, deployments.rollback("production", "user:alice"),
                "nothing was live before the first deployment");
    }

    @Test
    void shouldFailTheDeployment_whenTheJobFailsBeforeGoingLive() {
        Job job = plan("b-1", "main", commit('1'));

        finish(job, 2);

        assertEquals(DeploymentState.FAILED, deployment(job).state());
        assertEquals("exit_status_2", deployment(job).reason());
        assertNull(store.findEnvironment("production").orElseThrow().liveColor());
    }

    @Test
    void shouldDeployTheManualRetryThroughTheGate_whenAFailedDeployIsRetried() {
        Job failed = plan("b-1", "main", commit('1'));
        finish(failed, 1);

        JobCommandResult.Done retried = assertInstanceOf(JobCommandResult.Done.class,
                new UserApi(builds, jobs, new InMemoryLogStore(), new InMemoryAuditLog(), clock).retry(failed.id(), "user:alice"));
        assertEquals(JobState.PENDING, retried.job().state(), "the reactor takes the slot and passes the gate");
        reactor.react(new JobChange("e-retry", null, retried.job()));

        Job queued = stored(retried.job());
        assertEquals(JobState.QUEUED, queued.state());
        assertEquals("blue", queued.env().get(Deployments.ENV_COLOR));
        assertEquals(DeploymentState.DEPLOYING, deployment(queued).state());
        assertEquals(DeploymentState.FAILED, deployment(failed).state());
    }

    // ------------------------------------------------------------------ fixtures

    static String commit(char digit) {
        return String.valueOf(digit).repeat(40);
    }

    /** Plans a blue-green deploy job in a new build and lets the reactor see its creation. */
    Job plan(String buildId, String branch, String commit) {
        assertTrue(builds.create(Build.created(buildId, "acme/widgets", "https://github.com/acme/widgets.git", branch,
                null, commit, "Ship", "octocat", "octocat", BuildSource.PUSH, null, T0, "github:octocat")).written());
        DeployStep step = new DeployStep("ship", "Ship", "./deploy.sh",
                new DeployStep.Deployment("production", DeployStep.Strategy.BLUE_GREEN, Optional.of("./health.sh"),
                        Optional.of("./switch.sh"), Optional.of("./rollback.sh")),
                "default", List.of(), OptionalInt.empty(), Map.of(),
                new ConcurrencyLimit(DeployStep.defaultConcurrencyGroup("production"), 1), Optional.empty());
        Job job = Job.planned(buildId, "ship", "Ship", JobKind.DEPLOY, "default", 0, List.of(), "./deploy.sh",
                Map.of(), 10, RetryPolicy.DEFAULT, T0, PLANNER).toBuilder().step(step).build();
        assertTrue(jobs.create(job).written());
        reactor.react(new JobChange("e-create-" + buildId, null, job));
        return job;
    }

    Job deployLive(String buildId, String branch, String commit) {
        Job job = plan(buildId, branch, commit);
        goLive(stored(job));
        return job;
    }

    /** The agent's phases through the job-updater's use case, the deployment records, then the job's end. */
    void goLive(Job queued) {
        Deployment before = deployment(queued);
        deployments.reportPhase(queued.id(), Deployments.Phase.VERIFYING, null, T0.plusSeconds(70), AGENT);
        deployments.reportPhase(queued.id(), Deployments.Phase.LIVE, null, T0.plusSeconds(71), AGENT);
        reactor.reactToDeployment(before, deployment(queued));
        finish(queued, 0);
    }

    void finish(Job job, int exitStatus) {
        Job queued = stored(job);
        Job assigned = JobTransitions.apply(queued, new JobEvent.Accept("a-1", T0.plusSeconds(61))).orElseThrow();
        Job running = JobTransitions.apply(assigned, new JobEvent.Start("a-1", T0.plusSeconds(62))).orElseThrow();
        Job done = JobTransitions.apply(running, new JobEvent.Finish("a-1", exitStatus, null, T0.plusSeconds(80)))
                .orElseThrow();
        assertTrue(jobs.update(done, queued.version()).written());
        reactor.react(new JobChange("e-finish-" + job.id(), running, done));
    }

    Job stored(Job job) {
        return jobs.find(job.id()).orElseThrow();
    }

    Deployment deployment(Job job) {
        return store.findDeployment(job.id()).orElseThrow();
    }
}
