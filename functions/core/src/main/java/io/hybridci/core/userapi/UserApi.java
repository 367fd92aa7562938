package io.hybridci.core.userapi;

import io.hybridci.core.auditing.AuditVerification;
import io.hybridci.core.auditing.AuditVerifier;
import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildIds;
import io.hybridci.core.build.BuildSource;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobState;
import io.hybridci.core.pipeline.ConcurrencyLimit;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobReason;
import io.hybridci.core.job.JobTransitions;
import io.hybridci.core.job.Retries;
import io.hybridci.core.job.Retry;
import io.hybridci.core.port.AuditLog;
import io.hybridci.core.port.BuildRepository;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.LogStore;
import io.hybridci.core.port.LogStore.LogChunk;
import io.hybridci.core.port.Page;
import io.hybridci.core.port.WriteResult;
import io.hybridci.core.statemachine.RejectionReason;
import io.hybridci.core.statemachine.Transition;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The use cases behind the user routes ({@code /api/v1}): read builds, jobs and logs, start a
 * manual build, cancel and retry jobs, verify the audit trail. The caller is already
 * authenticated; {@code actor} says who acts ({@code user:<id>}).
 */
public final class UserApi {

    public static final int DEFAULT_PAGE_SIZE = 20;
    public static final int MAX_PAGE_SIZE = 100;
    /**
     * Chunks are up to 128 KiB; 32 keep a response under 4 MiB, below Lambda's 6 MB response limit
     * even after JSON escaping of typical log text.
     */
    public static final int MAX_LOG_CHUNKS = 32;

    /** Marks our cursors, so a cursor from some other list (or a guess) is told apart and refused. */
    private static final String CURSOR_PREFIX = "b1:";
    private static final String AUDIT_CURSOR_PREFIX = "v1:";
    private static final int MAX_ATTEMPTS = 5;

    private final BuildRepository builds;
    private final JobRepository jobs;
    private final LogStore logs;
    private final AuditVerifier auditVerifier;
    private final Clock clock;

    public UserApi(BuildRepository builds, JobRepository jobs, LogStore logs, AuditLog audit, Clock clock) {
        this.builds = Objects.requireNonNull(builds, "builds");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.logs = Objects.requireNonNull(logs, "logs");
        this.auditVerifier = new AuditVerifier(Objects.requireNonNull(audit, "audit"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Builds newest first.
     *
     * @param limit 1..{@link #MAX_PAGE_SIZE}
     * @param cursor a {@code next} from an earlier page
     */
    public BuildListing listBuilds(int limit, Optional<String> cursor) {
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE_SIZE + ", was " + limit);
        }
        Optional<String> position;
        try {
            position = cursor.map(UserApi::decodeCursor);
        } catch (IllegalArgumentException notOurs) {
            return new BuildListing.BadCursor("cursor is not one this API returned");
        }
        Page<Build> page;
        try {
            page = builds.listNewestFirst(limit, position);
        } catch (IllegalArgumentException adapterRefused) {
            // A well-wrapped cursor whose inside the adapter cannot use (edited by hand, or from an older deployment).
            return new BuildListing.BadCursor("cursor is not one this API returned");
        }
        return new BuildListing.Listed(page.items(), page.next().map(UserApi::encodeCursor));
    }

    /** The build and all its jobs (every attempt), oldest first. */
    public Optional<BuildWithJobs> build(String buildId) {
        return builds.find(buildId).map(build -> new BuildWithJobs(build, jobsInCreationOrder(buildId)));
    }

    public Optional<Job> job(String jobId) {
        return jobs.find(jobId);
    }

    /**
     * Log chunks of a job with seq greater than {@code after}.
     *
     * @param after −1 for the start of the log
     * @param limit 1..{@link #MAX_LOG_CHUNKS}
     */
    public Optional<JobLog> log(String jobId, long after, int limit) {
        if (limit < 1 || limit > MAX_LOG_CHUNKS) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LOG_CHUNKS + ", was " + limit);
        }
        // The job is read first: chunks read before a job's final state could miss the last chunk,
        // and "complete" must never be claimed while one can still arrive.
        return jobs.find(jobId).map(job -> {
            List<LogChunk> chunks = logs.read(jobId, after, limit);
            long next = chunks.isEmpty() ? after : chunks.getLast().seq();
            boolean complete = job.state().isTerminal() && chunks.size() < limit;
            return new JobLog(job, chunks, next, complete);
        });
    }

    /**
     * Starts a build by hand: a Build in CREATED and its bootstrap job QUEUED, exactly as a push
     * does. {@code triggerId} (the HTTP request id, or the client's idempotency key) makes the build
     * id deterministic, so the same request sent twice creates one build.
     */
    public BuildWithJobs manualBuild(ManualBuildRequest request, String triggerId, String actor) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(triggerId, "triggerId");
        Instant now = clock.instant();
        Build created = Build.created(BuildIds.of("manual:" + triggerId), request.repo(), request.cloneUrl(),
                request.branch(), null, request.commit(), request.message(), null, actor, BuildSource.MANUAL, null,
                now, actor);
        Build build = switch (builds.create(created)) {
            case WriteResult.Written<Build> written -> written.value();
            case WriteResult.Conflict<Build> conflict -> conflict.current().orElse(created);
        };
        Job bootstrap = BootstrapBuilds.bootstrapJob(build, build.createdAt(), actor);
        Job job = switch (jobs.create(bootstrap)) {
            case WriteResult.Written<Job> written -> written.value();
            case WriteResult.Conflict<Job> conflict -> conflict.current().orElse(bootstrap);
        };
        return new BuildWithJobs(build, List.of(job));
    }

    /**
     * Cancels a job: CANCELED at once when no agent holds it, else CANCELING until the agent
     * confirms (it learns at its next ping). Canceling a job that is already being canceled or
     * was canceled answers with the job as it is: the user got what they asked for.
     */
    public JobCommandResult cancel(String jobId, String actor) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Job> found = jobs.find(jobId);
            if (found.isEmpty()) {
                return new JobCommandResult.NotFound();
            }
            Job job = found.get();
            Transition<Job> decided = JobTransitions.apply(job,
                    new JobEvent.Cancel(actor, JobReason.CANCELED_BY_USER, clock.instant()));
            switch (decided) {
                case Transition.Rejected<Job> rejected when rejected.reason() == RejectionReason.ALREADY_APPLIED -> {
                    return new JobCommandResult.Done(job);
                }
                case Transition.Rejected<Job> _ -> {
                    return new JobCommandResult.Conflict("job " + jobId + " is " + job.state()
                            + " and cannot be canceled");
                }
                case Transition.Moved<Job> moved -> {
                    if (jobs.update(moved.next(), job.version()) instanceof WriteResult.Written<Job> written) {
                        return new JobCommandResult.Done(written.value());
                    }
                }
            }
        }
        return new JobCommandResult.Conflict("job " + jobId + " kept changing; try again");
    }

    /**
     * Retries a finished job as a new attempt (QUEUED; PENDING for a job of a concurrency group). The new attempt's id is deterministic, so
     * two concurrent retries (or a retry racing the automatic one) create one attempt, and the
     * loser is told the job was already retried.
     */
    public JobCommandResult retry(String jobId, String actor) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Job> found = jobs.find(jobId);
            if (found.isEmpty()) {
                return new JobCommandResult.NotFound();
            }
            Job job = found.get();
            switch (Retries.manualRetry(job, clock.instant(), actor)) {
                case Transition.Rejected<Retry> rejected -> {
                    return new JobCommandResult.Conflict(rejected.message());
                }
                case Transition.Moved<Retry> moved -> {
                    Retry retry = moved.next();
                    Job planned = waitsForTheReactor(retry.next());
                    // New attempt first: if the second write is lost, a re-run finds it and completes
                    // the link; the other order could leave retriedBy pointing at nothing.
                    Job next = switch (jobs.create(planned)) {
                        case WriteResult.Written<Job> written -> written.value();
                        case WriteResult.Conflict<Job> conflict -> conflict.current().orElse(planned);
                    };
                    if (jobs.update(retry.previous(), job.version()).written()) {
                        return new JobCommandResult.Done(next);
                    }
                }
            }
        }
        return new JobCommandResult.Conflict("job " + jobId + " kept changing; try again");
    }

    /**
     * The new attempt of a job of a concurrency group (every deploy job is in one) is created PENDING rather than
     * QUEUED: the state-reactor then takes a slot for it like for any other job and, for a deploy, passes its
     * environment's gate (protection, approval, the deployment and its colour; docs/deployments.md).
     */
    private static Job waitsForTheReactor(Job nextAttempt) {
        if (ConcurrencyLimit.of(nextAttempt.step()).isEmpty()) {
            return nextAttempt;
        }
        return nextAttempt.toBuilder().state(JobState.PENDING).queuedAt(null).dispatchedAt(null).build();
    }

    /**
     * Recomputes audit chains from {@code cursor} (empty: the first chain) and reports the first break
     * ({@link AuditVerifier}), going on page after page of chains for at most {@link #AUDIT_VERIFY_BUDGET}:
     * the audit table grows without bound and a request has the api function's 10 s. The answer's
     * {@code next} (wrapped here, opaque) says where the caller goes on; the CLI and the dashboard sum the runs.
     */
    public AuditVerifyRun verifyAudit(Optional<String> cursor) {
        Optional<String> from;
        try {
            from = cursor.map(UserApi::decodeAuditCursor);
        } catch (IllegalArgumentException notOurs) {
            return new AuditVerifyRun.BadCursor("cursor is not one this API returned");
        }
        Instant deadline = clock.instant().plus(AUDIT_VERIFY_BUDGET);
        AuditVerification run;
        try {
            run = auditVerifier.verify(from, () -> clock.instant().isBefore(deadline));
        } catch (IllegalArgumentException adapterRefused) {
            return new AuditVerifyRun.BadCursor("cursor is not one this API returned");
        }
        return new AuditVerifyRun.Checked(new AuditVerification(run.ok(), run.chains(), run.records(), run.firstBreak(),
                run.next().map(UserApi::encodeAuditCursor)));
    }

    /** Half the api function's timeout: what one verify request may spend before answering with {@code next}. */
    public static final Duration AUDIT_VERIFY_BUDGET = Duration.ofSeconds(5);

    private List<Job> jobsInCreationOrder(String buildId) {
        return jobs.jobsOfBuild(buildId).stream()
                .sorted(Comparator.comparing(Job::createdAt).thenComparing(Job::key).thenComparingInt(Job::attempt))
                .toList();
    }

    private static String encodeCursor(String adapterCursor) {
        return wrapCursor(CURSOR_PREFIX, adapterCursor);
    }

    private static String decodeCursor(String cursor) {
        return unwrapCursor(CURSOR_PREFIX, cursor);
    }

    private static String encodeAuditCursor(String adapterCursor) {
        return wrapCursor(AUDIT_CURSOR_PREFIX, adapterCursor);
    }

    private static String decodeAuditCursor(String cursor) {
        return unwrapCursor(AUDIT_CURSOR_PREFIX, cursor);
    }

    /** An adapter's cursor made opaque, with a prefix naming what it walks (a builds cursor is no audit cursor). */
    private static String wrapCursor(String prefix, String adapterCursor) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((prefix + adapterCursor).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the cursor is not base64url or lacks the prefix */
    private static String unwrapCursor(String prefix, String cursor) {
        String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        if (!decoded.startsWith(prefix)) {
            throw new IllegalArgumentException("not a cursor of this listing");
        }
        return decoded.substring(prefix.length());
    }
}
