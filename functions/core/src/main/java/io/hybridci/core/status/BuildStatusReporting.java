package io.hybridci.core.status;

import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildState;
import io.hybridci.core.port.BuildRepository;
import io.hybridci.core.port.CommitStatusReporter;
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
 */
public final class BuildStatusReporting {

    private static final String NO_COMMIT = "0000000000000000000000000000000000000000";

    private final BuildRepository builds;
    private final CommitStatusReporter reporter;
    private final StatusSettings settings;

    public BuildStatusReporting(BuildRepository builds, CommitStatusReporter reporter, StatusSettings settings) {
        this.builds = Objects.requireNonNull(builds, "builds");
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
     */
    public record StatusSettings(Optional<URI> dashboardUrl, String context) {
        public static final String DEFAULT_CONTEXT = "hybridci";

        public StatusSettings {
            Objects.requireNonNull(dashboardUrl, "dashboardUrl");
            Objects.requireNonNull(context, "context");
        }
    }
}
