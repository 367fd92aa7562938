package io.hybridci.agent;

import io.hybridci.agent.ControlPlaneClient.PipelineUploadResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Runs one accepted job from {@code started} to {@code finished}: a fresh checkout of the commit,
 * then either the pipeline upload (bootstrap job) or {@code bash -c COMMAND} (command and deploy jobs),
 * with every line of output streamed as signed {@code log} messages.
 *
 * <p>Whatever goes wrong (git, a missing file, a refused upload), the job still ends with a
 * {@code finished} message and a readable reason in its log: a job that just stops reporting would
 * sit RUNNING until the reaper's timeout.
 */
public final class JobRunner {

    /** Where the pipeline lives in the repository. */
    public static final String PIPELINE_FILE = ".hybridci/pipeline.yml";

    private final JobSpec job;
    private final Supplier<Session> session;
    private final ControlPlaneClient controlPlane;
    private final JobUpdates updates;
    private final Path workRoot;
    private final Duration cancelGrace;
    private final Clock clock;
    private final AgentLog agentLog;

    private volatile JobProcess process;
    private volatile Duration cancelRequested;

    public JobRunner(JobSpec job, Supplier<Session> session, ControlPlaneClient controlPlane, JobUpdates updates,
                     Path workRoot, Duration cancelGrace, Clock clock, AgentLog agentLog) {
        this.job = Objects.requireNonNull(job, "job");
        this.session = Objects.requireNonNull(session, "session");
        this.controlPlane = Objects.requireNonNull(controlPlane, "controlPlane");
        this.updates = Objects.requireNonNull(updates, "updates");
        this.workRoot = Objects.requireNonNull(workRoot, "workRoot");
        this.cancelGrace = Objects.requireNonNull(cancelGrace, "cancelGrace");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.agentLog = Objects.requireNonNull(agentLog, "agentLog");
    }

    public JobSpec job() {
        return job;
    }

    /** Cancels with the configured grace period; see {@link #cancel(Duration)}. */
    public void cancel() {
        cancel(cancelGrace);
    }

    /**
     * Stops the job: SIGTERM to its command's process group now, SIGKILL after {@code grace}. Before
     * the command started, the job ends as soon as the current step (checkout, upload) returns.
     */
    public synchronized void cancel(Duration grace) {
        if (cancelRequested == null) {
            cancelRequested = grace;
            agentLog.info("canceling job " + job.id());
        }
        JobProcess running = process;
        if (running != null) {
            running.cancel(grace);
        }
    }

    /** Whether the job's command has been running for a while: used to decide between waiting and canceling on shutdown. */
    public boolean isCanceled() {
        return cancelRequested != null;
    }

    /** Runs the job; returns once {@code finished} was accepted by SQS. */
    public JobProcess.Outcome run() throws InterruptedException {
        updates.started(clock.instant());
        Path dir = workRoot.resolve(safeDirName(job.id()));
        JobProcess.Outcome outcome;
        LogBatcher log = LogBatcher.withDefaults(updates::log);
        try {
            outcome = runIn(dir, log);
        } catch (RuntimeException e) {
            // A bug of ours must still end the job, with a trace of why in its log.
            log.appendLine("hybridci agent: internal error: " + e);
            outcome = JobProcess.Outcome.exited(1);
        } finally {
            log.close();
        }
        updates.finished(outcome.exitStatus(), outcome.signal(), clock.instant());
        deleteQuietly(dir);
        agentLog.info("job " + job.id() + " (" + job.key() + ") finished: exit " + outcome.exitStatus()
                + (outcome.signal() != null ? " " + outcome.signal() : ""));
        return outcome;
    }

    private JobProcess.Outcome runIn(Path dir, LogBatcher log) throws InterruptedException {
        if (job.cloneUrl() == null || job.commit() == null) {
            log.appendLine("hybridci agent: the job names no repository or commit; nothing to check out");
            return JobProcess.Outcome.exited(1);
        }
        deleteQuietly(dir);
        try {
            GitCheckout.checkout(job.cloneUrl(), job.commit(), dir, log::appendLine);
        } catch (GitCheckout.CheckoutFailed e) {
            log.appendLine("hybridci agent: checkout failed: " + e.getMessage());
            return JobProcess.Outcome.exited(1);
        }
        if (cancelRequested != null) {
            log.appendLine("hybridci agent: canceled before the command started");
            return JobProcess.Outcome.killedBy("SIGTERM");
        }
        return switch (job.kind()) {
            case BOOTSTRAP -> uploadPipeline(dir, log);
            case COMMAND -> runCommand(dir, log);
            case DEPLOY -> job.deploy() == null ? runCommand(dir, log) : runDeploy(dir, log);
        };
    }

    private JobProcess.Outcome uploadPipeline(Path dir, LogBatcher log) throws InterruptedException {
        String text;
        try {
            text = Files.readString(dir.resolve(PIPELINE_FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            log.appendLine("no " + PIPELINE_FILE + " at " + job.commit());
            return JobProcess.Outcome.exited(1);
        } catch (IOException e) {
            log.appendLine("cannot read " + PIPELINE_FILE + ": " + e.getMessage());
            return JobProcess.Outcome.exited(1);
        }
        log.appendLine("uploading " + PIPELINE_FILE + " (" + text.getBytes(StandardCharsets.UTF_8).length + " bytes)");
        for (int attempt = 0; ; attempt++) {
            try {
                return switch (controlPlane.uploadPipeline(session.get(), job.id(), text)) {
                    case PipelineUploadResult.Uploaded uploaded -> {
                        log.appendLine("pipeline uploaded: " + uploaded.steps() + " step" + (uploaded.steps() == 1 ? "" : "s"));
                        yield JobProcess.Outcome.exited(0);
                    }
                    case PipelineUploadResult.Invalid invalid -> {
                        log.appendLine(PIPELINE_FILE + " is invalid: " + invalid.message());
                        for (String error : invalid.errors()) {
                            log.appendLine(error);
                        }
                        yield JobProcess.Outcome.exited(1);
                    }
                    case PipelineUploadResult.Refused refused -> {
                        log.appendLine("the control plane refused the pipeline: " + refused.message());
                        yield JobProcess.Outcome.exited(1);
                    }
                };
            } catch (ControlPlaneException e) {
                if (!e.retryable() || attempt >= 8 || cancelRequested != null) {
                    log.appendLine("uploading the pipeline failed: " + e.getMessage());
                    return JobProcess.Outcome.exited(1);
                }
                Backoff.DEFAULT.sleep(attempt);
            }
        }
    }

    /**
     * A deploy job (docs/deployments.md): the command installs the version on {@code HYBRIDCI_DEPLOY_COLOR}; then
     * {@code verifying} and the health check; a failed check runs the rollback command and reports
     * {@code rolled_back} (traffic never moved); else the switch command moves the traffic and {@code live} is
     * reported. The job fails whenever the deployment does not go live.
     */
    private JobProcess.Outcome runDeploy(Path dir, LogBatcher log) throws InterruptedException {
        JobSpec.Deploy deploy = job.deploy();
        log.appendLine("hybridci agent: deploying " + job.env().getOrDefault("HYBRIDCI_DEPLOY_VERSION", "?") + " to "
                + deploy.environment() + " (" + deploy.strategy() + ", colour "
                + job.env().getOrDefault("HYBRIDCI_DEPLOY_COLOR", "?") + ")");
        JobProcess.Outcome installed = runCommand(dir, log);
        if (!succeeded(installed)) {
            updates.deploy("failed", "deploy_command_failed");
            return installed;
        }
        updates.deploy("verifying", null);
        if (deploy.healthCheck() != null) {
            log.appendLine("hybridci agent: health check");
            JobProcess.Outcome health = run(deploy.healthCheck(), dir, log);
            if (!succeeded(health)) {
                if (deploy.rollbackCommand() != null && cancelRequested == null) {
                    log.appendLine("hybridci agent: health check failed; rolling back");
                    run(deploy.rollbackCommand(), dir, log);
                }
                updates.deploy("rolled_back", "health_check_failed");
                return health.exitStatus() == 0 ? JobProcess.Outcome.exited(1) : health;
            }
        }
        if (deploy.switchCommand() != null && "blue-green".equals(deploy.strategy())) {
            log.appendLine("hybridci agent: switching traffic to " + job.env().getOrDefault("HYBRIDCI_DEPLOY_COLOR", "?"));
            JobProcess.Outcome switched = run(deploy.switchCommand(), dir, log);
            if (!succeeded(switched)) {
                updates.deploy("failed", "switch_failed");
                return switched;
            }
        }
        updates.deploy("live", null);
        return JobProcess.Outcome.exited(0);
    }

    private static boolean succeeded(JobProcess.Outcome outcome) {
        return outcome.exitStatus() == 0 && outcome.signal() == null;
    }

    private JobProcess.Outcome runCommand(Path dir, LogBatcher log) throws InterruptedException {
        if (job.command() == null || job.command().isBlank()) {
            log.appendLine("hybridci agent: the job has no command");
            return JobProcess.Outcome.exited(1);
        }
        return run(job.command(), dir, log);
    }

    private JobProcess.Outcome run(String command, Path dir, LogBatcher log) throws InterruptedException {
        if (cancelRequested != null) {
            return JobProcess.Outcome.killedBy("SIGTERM");
        }
        JobProcess started;
        try {
            started = JobProcess.start(command, dir, environment(job), log);
        } catch (IOException e) {
            log.appendLine("hybridci agent: cannot start bash (setsid and bash must be on PATH): " + e.getMessage());
            return JobProcess.Outcome.exited(1);
        }
        synchronized (this) {
            process = started;
            if (cancelRequested != null) {
                started.cancel(cancelRequested);
            }
        }
        return started.waitFor();
    }

    /** The step's env plus the {@code HYBRIDCI_*} variables; ours win, so a step cannot fake its job id. */
    static Map<String, String> environment(JobSpec job) {
        Map<String, String> env = new LinkedHashMap<>(job.env());
        env.put("HYBRIDCI", "true");
        env.put("CI", "true");
        putIfPresent(env, "HYBRIDCI_BUILD_ID", job.buildId());
        env.put("HYBRIDCI_JOB_ID", job.id());
        putIfPresent(env, "HYBRIDCI_JOB_KEY", job.key());
        putIfPresent(env, "HYBRIDCI_JOB_LABEL", job.label());
        env.put("HYBRIDCI_JOB_ATTEMPT", Integer.toString(job.attempt()));
        putIfPresent(env, "HYBRIDCI_COMMIT", job.commit());
        env.put("HYBRIDCI_BRANCH", job.branch() == null ? "" : job.branch());
        putIfPresent(env, "HYBRIDCI_TAG", job.tag());
        putIfPresent(env, "HYBRIDCI_REPO", job.repositoryFullName());
        if (job.cloneUrl() != null) {
            env.put("HYBRIDCI_REPO_URL", GitCheckout.redact(job.cloneUrl()));
        }
        return env;
    }

    private static void putIfPresent(Map<String, String> env, String name, String value) {
        if (value != null) {
            env.put(name, value);
        }
    }

    private static String safeDirName(String jobId) {
        return "job-" + jobId.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            agentLog.warn("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
