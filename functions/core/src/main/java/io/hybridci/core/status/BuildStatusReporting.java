package io.hybridci.core.status;

import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildState;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobState;
import io.hybridci.core.port.BuildRepository;
import io.hybridci.core.port.CommitStatusReporter;
import io.hybridci.core.port.JobRepository;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The github-status use case: a {@code Build State Changed} event becomes a commit status on the
 * build's commit (CREATED/RUNNING/BLOCKED → pending, PASSED → success, FAILED → failure,
 * CANCELED → error), linking to the build's page.
 *
 * <p>EventBridge neither orders events nor delivers them once, so the status reports the build's
 * <em>current</em> state as stored, not the event's {@code to}: a late "RUNNING" delivered after
 * "PASSED" re-sends success instead of turning the commit back to pending. Re-sending a status is
 * harmless (GitHub keeps the latest per context), so no dedup record is needed.
 *
 * <p>Per-job statuses ({@link StatusSettings#perJob()}, off by default): a {@code Job State Changed} event also
 * becomes a status of context {@code <context>/<key>} (e.g. {@code hybridci/test}), so a branch protection rule
 * can require one step. Same rule: the job's stored state is reported, and an attempt that was retried reports
 * nothing (its retry speaks for the key), so a late event of attempt 1 never overwrites attempt 2.
 */
public final class BuildStatusReporting {

    private static final String NO_COMMIT = "0000000000000000000000000000000000000000";

    private final BuildRepository builds;
    private final JobRepository jobs;
    private final CommitStatusReporter reporter;
    private final StatusSettings settings;

    /** Build statuses only: {@link #report(JobStateChange)} reports nothing. */
    public BuildStatusReporting(BuildRepository builds, CommitStatusReporter reporter, StatusSettings settings) {
        this(builds, null, reporter, settings);
    }

    /** @param jobs where per-job statuses read the job's current state; null → no per-job statuses */
    public BuildStatusReporting(BuildRepository builds, JobRepository jobs, CommitStatusReporter reporter,
                                StatusSettings settings) {
        this.builds = Objects.requireNonNull(builds, "builds");
        this.jobs = jobs;
        this.reporter = Objects.requireNonNull(reporter, "reporter");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Reports one change.
     *
     * @throws StatusReportException when GitHub did not take it: let it propagate, the event is retried
     */
    public StatusReport report(BuildStateChange change) {
        if (change.commit().equals(NO_COMMIT)) {
            return new StatusReport.NotReported("build " + change.buildId() + " has no commit");
        }
        Optional<Build> stored = builds.find(change.buildId());
        BuildState state = stored.map(Build::state).orElse(change.to());
        CommitStatus status = new CommitStatus(CommitState.of(state), buildPage(change.buildId()),
                describe(state, stored.orElse(null)), settings.context());
        reporter.report(change.repo(), change.commit(), status);
        return new StatusReport.Reported(change.repo(), change.commit(), status);
    }

    /**
     * Reports one job's change as the status of context {@code <context>/<key>}, when per-job statuses are on.
     *
     * @throws StatusReportException when GitHub did not take it: let it propagate, the event is retried
     */
    public StatusReport report(JobStateChange change) {
        if (!settings.perJob() || jobs == null) {
            return new StatusReport.NotReported("per-job statuses are off");
        }
        Optional<Job> stored = jobs.find(change.jobId());
        if (stored.isPresent() && stored.get().retriedBy() != null) {
            return new StatusReport.NotReported("job " + change.jobId() + " was retried by " + stored.get().retriedBy());
        }
        JobState state = stored.map(Job::state).orElse(change.to());
        Optional<CommitState> commitState = jobCommitState(state);
        if (commitState.isEmpty()) {
            return new StatusReport.NotReported("job " + change.jobId() + " is " + state + ", which has no status");
        }
        Optional<Build> build = builds.find(change.buildId());
        if (build.isEmpty() || build.get().commit().equals(NO_COMMIT)) {
            return new StatusReport.NotReported("build " + change.buildId() + " has no commit");
        }
        CommitStatus status = new CommitStatus(commitState.get(), buildPage(change.buildId()),
                describe(state, stored.orElse(null)), settings.context() + "/" + change.key());
        reporter.report(build.get().repo(), build.get().commit(), status);
        return new StatusReport.Reported(build.get().repo(), build.get().commit(), status);
    }

    /**
     * A job's state on GitHub: none while it waits on dependencies (PENDING) or when it never ran (SKIPPED: a
     * "success" would claim a check that did not happen, a "failure" would block merging for a condition that
     * said "not needed"); QUEUED and what follows until the end are pending.
     */
    static Optional<CommitState> jobCommitState(JobState state) {
        return switch (state) {
            case PENDING, SKIPPED -> Optional.empty();
            case QUEUED, ASSIGNED, RUNNING, BLOCKED, CANCELING, TIMING_OUT -> Optional.of(CommitState.PENDING);
            case PASSED -> Optional.of(CommitState.SUCCESS);
            case FAILED, TIMED_OUT -> Optional.of(CommitState.FAILURE);
            case CANCELED, EXPIRED -> Optional.of(CommitState.ERROR);
        };
    }

    static String describe(JobState state, Job job) {
        String duration = job == null || job.startedAt() == null || job.finishedAt() == null ? ""
                : " in " + human(Duration.between(job.startedAt(), job.finishedAt()));
        return switch (state) {
            case PENDING, QUEUED -> "Waiting for an agent";
            case ASSIGNED, RUNNING -> "Running";
            case BLOCKED -> "Waiting for approval";
            case CANCELING -> "Canceling";
            case TIMING_OUT -> "Timing out";
            case PASSED -> "Passed" + duration;
            case FAILED -> "Failed" + duration + (job != null && job.exitStatus() != null ? " (exit " + job.exitStatus() + ")" : "");
            case TIMED_OUT -> "Timed out" + duration;
            case CANCELED -> "Canceled";
            case EXPIRED -> "Expired: no agent took it";
            case SKIPPED -> "Skipped";
        };
    }

    /** {@code <dashboard>/#/builds/<id>} (the dashboard's hash route), or null without a dashboard URL. */
    String buildPage(String buildId) {
        return settings.dashboardUrl()
                .map(base -> stripTrailingSlash(base.toString()) + "/#/builds/" + buildId)
                .orElse(null);
    }

    static String describe(BuildState state, Build build) {
        String duration = build == null || build.startedAt() == null || build.finishedAt() == null ? ""
                : " in " + human(Duration.between(build.startedAt(), build.finishedAt()));
        return switch (state) {
            case CREATED -> "Build queued";
            case RUNNING -> "Build running";
            case BLOCKED -> "Build waiting for approval";
            case PASSED -> "Build passed" + duration;
            case FAILED -> "Build failed" + duration;
            case CANCELED -> "Build canceled";
        };
    }

    private static String human(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m " + seconds % 60 + "s";
        }
        return seconds / 3600 + "h " + seconds % 3600 / 60 + "m";
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * How statuses look.
     *
     * @param dashboardUrl where the dashboard is served; empty → statuses carry no link
     * @param context      the status context GitHub groups by, e.g. {@code hybridci}
     * @param perJob       also one status per job, context {@code <context>/<key>}
     */
    public record StatusSettings(Optional<URI> dashboardUrl, String context, boolean perJob) {
        public static final String DEFAULT_CONTEXT = "hybridci";

        public StatusSettings {
            Objects.requireNonNull(dashboardUrl, "dashboardUrl");
            Objects.requireNonNull(context, "context");
        }

        /** Build statuses only. */
        public StatusSettings(Optional<URI> dashboardUrl, String context) {
            this(dashboardUrl, context, false);
        }
    }
}
