package io.hybridci.core.reaction;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.build.Build;
import io.hybridci.core.deployment.Deployment;
import io.hybridci.core.deployment.DeploymentState;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobState;
import io.hybridci.core.port.EventPublisher.BusEvent;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The JSON the state-reactor sends: the {@code job-dispatch} SQS message (schema v1), and the
 * {@code Job State Changed} (v2) and {@code Build State Changed} (v1) bus events. The schemas live
 * in events-schema, which core does not depend on; the state-reactor's tests validate every
 * payload built here against them, and check that the source and detail-type strings below equal
 * {@code io.hybridci.schema.EventTypes}.
 *
 * <p>Built field by field with a tree, not by reflection (DESIGN section 12), and only with
 * the fields the schemas allow ({@code additionalProperties: false}).
 */
public final class ReactionMessages {

    /** Source of job events (EventTypes.SOURCE_JOBS). */
    public static final String SOURCE_JOBS = "hybridci.jobs";
    /** Source of build events (EventTypes.SOURCE_BUILDS). */
    public static final String SOURCE_BUILDS = "hybridci.builds";
    /** EventTypes.DETAIL_TYPE_JOB_STATE_CHANGED. */
    public static final String DETAIL_TYPE_JOB_STATE_CHANGED = "Job State Changed";
    /** Source of deployment events (EventTypes.SOURCE_DEPLOYMENTS). */
    public static final String SOURCE_DEPLOYMENTS = "hybridci.deployments";
    /** EventTypes.DETAIL_TYPE_DEPLOYMENT_STATE_CHANGED. */
    public static final String DETAIL_TYPE_DEPLOYMENT_STATE_CHANGED = "Deployment State Changed";
    /** EventTypes.DETAIL_TYPE_BUILD_STATE_CHANGED. */
    public static final String DETAIL_TYPE_BUILD_STATE_CHANGED = "Build State Changed";

    // The v2 schema's patterns: a value outside them (a caller's free-text cancel reason, a signal
    // the agent spelled oddly) is left out rather than making the whole event invalid.
    private static final Pattern REASON = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");
    private static final Pattern SIGNAL = Pattern.compile("^SIG[A-Z0-9]{1,12}$");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReactionMessages() {
    }

    /** The {@code job-dispatch} message for {@code job}, sent at {@code dispatchedAt}. */
    public static String jobDispatch(Job job, Instant dispatchedAt) {
        ObjectNode message = JSON.createObjectNode()
                .put("jobId", job.id())
                .put("buildId", job.buildId())
                .put("attempt", job.attempt())
                .put("queue", job.queue())
                .put("key", job.key())
                .put("label", job.label())
                .put("dispatchedAt", dispatchedAt.toString())
                .put("priority", job.priority());
        return message.toString();
    }

    /** {@code Job State Changed} for a job that moved from {@code from} (null: just created) to its current state. */
    public static BusEvent jobStateChanged(JobState from, Job job) {
        ObjectNode detail = JSON.createObjectNode()
                .put("jobId", job.id())
                .put("buildId", job.buildId())
                .put("key", job.key());
        detail.put("from", from == null ? null : from.name());
        detail.put("to", job.state().name());
        detail.put("attempt", job.attempt());
        detail.put("agentId", job.agentId());
        detail.put("exitStatus", job.exitStatus());
        ObjectNode timings = detail.putObject("timings");
        timings.put("queuedAt", text(job.queuedAt()));
        timings.put("startedAt", text(job.startedAt()));
        timings.put("finishedAt", text(job.finishedAt()));
        detail.put("at", job.updatedAt().toString());
        if (job.reason() != null && REASON.matcher(job.reason()).matches()) {
            detail.put("reason", job.reason());
        }
        detail.put("signal", job.signal() != null && SIGNAL.matcher(job.signal()).matches() ? job.signal() : null);
        return new BusEvent(SOURCE_JOBS, DETAIL_TYPE_JOB_STATE_CHANGED, detail.toString());
    }

    /** {@code Build State Changed} for a build whose rolled-up state went from {@code before}'s to {@code after}'s. */
    public static BusEvent buildStateChanged(Build before, Build after) {
        ObjectNode detail = JSON.createObjectNode()
                .put("buildId", after.id())
                .put("repo", after.repo())
                .put("branch", after.branch())
                .put("commit", after.commit());
        detail.put("from", before == null ? null : before.state().name());
        detail.put("to", after.state().name());
        detail.put("at", after.updatedAt().toString());
        return new BusEvent(SOURCE_BUILDS, DETAIL_TYPE_BUILD_STATE_CHANGED, detail.toString());
    }

    /** {@code Deployment State Changed} (v1) for a deployment that moved from {@code from} (null: just created). */
    public static BusEvent deploymentStateChanged(DeploymentState from, Deployment deployment) {
        ObjectNode detail = JSON.createObjectNode()
                .put("deploymentId", deployment.id())
                .put("environment", deployment.environment())
                .put("version", deployment.commit())
                .put("color", deployment.color().name().toLowerCase(Locale.ROOT));
        detail.put("from", from == null ? null : from.name());
        detail.put("to", deployment.state().name());
        detail.put("buildId", deployment.buildId());
        detail.put("jobId", deployment.jobId());
        detail.put("at", deployment.updatedAt().toString());
        return new BusEvent(SOURCE_DEPLOYMENTS, DETAIL_TYPE_DEPLOYMENT_STATE_CHANGED, detail.toString());
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
