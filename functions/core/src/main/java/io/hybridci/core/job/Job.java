package io.hybridci.core.job;

import io.hybridci.core.pipeline.Step;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One attempt of one pipeline step in one build: the item the state table stores, the agent
 * runs, and the API shows. A retry is a new {@code Job} (attempt + 1) linked by
 * {@code retryOf} / {@code retriedBy}.
 *
 * <p>Values change only through {@link JobTransitions#apply} (and {@link Retries}), which bump
 * {@code version}: the repository writes with the condition "version is still the one I read".
 *
 * @param id deterministic, see {@link JobIds#of}
 * @param buildId the build this job belongs to
 * @param key the step key, unique in the build; shared by all attempts
 * @param label human-readable name
 * @param attempt 1-based attempt number
 * @param state where the job is
 * @param queue the agent queue name (SQS {@code jobs-<queue>})
 * @param priority higher runs first where an agent can choose
 * @param dependsOn step keys that must pass first
 * @param kind command, block, deploy or bootstrap
 * @param command the shell command, {@code null} for block steps
 * @param env environment variables for the command
 * @param timeoutInMinutes {@code null} for no limit
 * @param retryPolicy automatic and manual retry rules
 * @param agentId the agent that accepted it, {@code null} before
 * @param exitStatus the command's exit status ({@code -1} for a lost agent), {@code null} before it finished
 * @param signal the signal that stopped the process, if any
 * @param reason why it ended other than by its exit status, see {@link JobReason}
 * @param createdAt when the planner created it
 * @param queuedAt when it became QUEUED
 * @param dispatchedAt when it was last sent to its SQS queue
 * @param assignedAt when an agent accepted it
 * @param startedAt when the agent started it
 * @param finishedAt when it reached a terminal state
 * @param retryOf the id of the attempt this one retries
 * @param retriedBy the id of the attempt that retries this one
 * @param version optimistic-lock counter, + 1 per change
 * @param updatedAt when it last changed
 * @param lastActor who changed it last ({@code agent:<id>}, {@code system:reaper}, {@code user:<id>})
 * @param step the pipeline step it was planned from, {@code null} for the bootstrap job and for items
 *             written before this field existed: approvals validate a block step's fields against it,
 *             deploys and concurrency groups read their settings from it (docs/deployments.md)
 */
public record Job(
        String id,
        String buildId,
        String key,
        String label,
        int attempt,
        JobState state,
        String queue,
        int priority,
        List<String> dependsOn,
        JobKind kind,
        String command,
        Map<String, String> env,
        Integer timeoutInMinutes,
        RetryPolicy retryPolicy,
        String agentId,
        Integer exitStatus,
        String signal,
        String reason,
        Instant createdAt,
        Instant queuedAt,
        Instant dispatchedAt,
        Instant assignedAt,
        Instant startedAt,
        Instant finishedAt,
        String retryOf,
        String retriedBy,
        long version,
        Instant updatedAt,
        String lastActor,
        Step step) {

    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(buildId, "buildId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(lastActor, "lastActor");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt is 1-based, was " + attempt);
        }
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1, was " + version);
        }
        dependsOn = List.copyOf(Objects.requireNonNull(dependsOn, "dependsOn"));
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    /** A job without its pipeline step ({@code step} null): the form written before that field existed. */
    public Job(String id, String buildId, String key, String label, int attempt, JobState state, String queue,
               int priority, List<String> dependsOn, JobKind kind, String command, Map<String, String> env,
               Integer timeoutInMinutes, RetryPolicy retryPolicy, String agentId, Integer exitStatus, String signal,
               String reason, Instant createdAt, Instant queuedAt, Instant dispatchedAt, Instant assignedAt,
               Instant startedAt, Instant finishedAt, String retryOf, String retriedBy, long version,
               Instant updatedAt, String lastActor) {
        this(id, buildId, key, label, attempt, state, queue, priority, dependsOn, kind, command, env,
                timeoutInMinutes, retryPolicy, agentId, exitStatus, signal, reason, createdAt, queuedAt, dispatchedAt,
                assignedAt, startedAt, finishedAt, retryOf, retriedBy, version, updatedAt, lastActor, null);
    }

    /**
     * A freshly planned first attempt, PENDING, version 1. The planner applies {@code Queue} (or
     * {@code Block}) before the first write when it has no dependencies.
     */
    public static Job planned(String buildId, String key, String label, JobKind kind, String queue, int priority,
                              List<String> dependsOn, String command, Map<String, String> env,
                              Integer timeoutInMinutes, RetryPolicy retryPolicy, Instant createdAt, String actor) {
        return new Job(JobIds.of(buildId, key, 1), buildId, key, label, 1, JobState.PENDING, queue, priority,
                dependsOn, kind, command, env, timeoutInMinutes, retryPolicy, null, null, null, null,
                createdAt, null, null, null, null, null, null, null, 1, createdAt, actor);
    }

    /** Whether a later attempt of the same key exists. */
    public boolean isRetried() {
        return retriedBy != null;
    }

    /** A copy to change several fields at once; {@link JobTransitions} and {@link Retries} use it. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The next version of this job: version + 1, stamped with when and by whom. */
    public Builder next(Instant at, String actor) {
        return toBuilder().version(version + 1).updatedAt(at).lastActor(actor);
    }

    public Job withState(JobState newState) {
        return toBuilder().state(newState).build();
    }

    public Job withRetriedBy(String nextAttemptId) {
        return toBuilder().retriedBy(nextAttemptId).build();
    }

    /**
     * Mutable copy of a {@link Job}, only to spare every transition from repeating 29 constructor
     * arguments; {@link #build()} validates through the record's constructor.
     */
    public static final class Builder {
        private String id;
        private String buildId;
        private String key;
        private String label;
        private int attempt;
        private JobState state;
        private String queue;
        private int priority;
        private List<String> dependsOn;
        private JobKind kind;
        private String command;
        private Map<String, String> env;
        private Integer timeoutInMinutes;
        private RetryPolicy retryPolicy;
        private String agentId;
        private Integer exitStatus;
        private String signal;
        private String reason;
        private Instant createdAt;
        private Instant queuedAt;
        private Instant dispatchedAt;
        private Instant assignedAt;
        private Instant startedAt;
        private Instant finishedAt;
        private String retryOf;
        private String retriedBy;
        private long version;
        private Instant updatedAt;
        private String lastActor;
        private Step step;

        private Builder(Job job) {
            id = job.id;
            buildId = job.buildId;
            key = job.key;
            label = job.label;
            attempt = job.attempt;
            state = job.state;
            queue = job.queue;
            priority = job.priority;
            dependsOn = job.dependsOn;
            kind = job.kind;
            command = job.command;
            env = job.env;
            timeoutInMinutes = job.timeoutInMinutes;
            retryPolicy = job.retryPolicy;
            agentId = job.agentId;
            exitStatus = job.exitStatus;
            signal = job.signal;
            reason = job.reason;
            createdAt = job.createdAt;
            queuedAt = job.queuedAt;
            dispatchedAt = job.dispatchedAt;
            assignedAt = job.assignedAt;
            startedAt = job.startedAt;
            finishedAt = job.finishedAt;
            retryOf = job.retryOf;
            retriedBy = job.retriedBy;
            version = job.version;
            updatedAt = job.updatedAt;
            lastActor = job.lastActor;
            step = job.step;
        }

        public Builder id(String value) { id = value; return this; }
        public Builder attempt(int value) { attempt = value; return this; }
        public Builder state(JobState value) { state = value; return this; }
        public Builder agentId(String value) { agentId = value; return this; }
        public Builder exitStatus(Integer value) { exitStatus = value; return this; }
        public Builder signal(String value) { signal = value; return this; }
        public Builder reason(String value) { reason = value; return this; }
        public Builder createdAt(Instant value) { createdAt = value; return this; }
        public Builder queuedAt(Instant value) { queuedAt = value; return this; }
        public Builder dispatchedAt(Instant value) { dispatchedAt = value; return this; }
        public Builder assignedAt(Instant value) { assignedAt = value; return this; }
        public Builder startedAt(Instant value) { startedAt = value; return this; }
        public Builder finishedAt(Instant value) { finishedAt = value; return this; }
        public Builder retryOf(String value) { retryOf = value; return this; }
        public Builder retriedBy(String value) { retriedBy = value; return this; }
        public Builder version(long value) { version = value; return this; }
        public Builder updatedAt(Instant value) { updatedAt = value; return this; }
        public Builder lastActor(String value) { lastActor = value; return this; }
        public Builder env(Map<String, String> value) { env = value; return this; }
        public Builder step(Step value) { step = value; return this; }

        public Job build() {
            return new Job(id, buildId, key, label, attempt, state, queue, priority, dependsOn, kind, command, env,
                    timeoutInMinutes, retryPolicy, agentId, exitStatus, signal, reason, createdAt, queuedAt,
                    dispatchedAt, assignedAt, startedAt, finishedAt, retryOf, retriedBy, version, updatedAt,
                    lastActor, step);
        }
    }
}
