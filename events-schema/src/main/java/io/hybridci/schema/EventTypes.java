package io.hybridci.schema;

/**
 * The {@code source} and {@code detail-type} strings of every event on the {@code hybridci}
 * bus (DESIGN section 3). Functions publish and match with these constants so that a string
 * is spelled once; {@code schemas/catalog.json} carries the same values and a test keeps the
 * two in step.
 */
public final class EventTypes {

    /** Normalized GitHub webhooks, published by webhook-intake. */
    public static final String SOURCE_GITHUB = "github.com";
    /** Builds: pipeline uploads and build state changes. */
    public static final String SOURCE_BUILDS = "hybridci.builds";
    /** Job state changes, published by state-reactor. */
    public static final String SOURCE_JOBS = "hybridci.jobs";
    /** Agent state changes. */
    public static final String SOURCE_AGENTS = "hybridci.agents";
    /** Deployment state changes. */
    public static final String SOURCE_DEPLOYMENTS = "hybridci.deployments";
    /** Secret rotations, published by secret-rotator (names and versions only, never values). */
    public static final String SOURCE_SECRETS = "hybridci.secrets";

    /** GitHub's own event name ({@code X-GitHub-Event}) for a push. */
    public static final String DETAIL_TYPE_PUSH = "push";
    /** GitHub's own event name ({@code X-GitHub-Event}) for a pull request. */
    public static final String DETAIL_TYPE_PULL_REQUEST = "pull_request";
    public static final String DETAIL_TYPE_PIPELINE_UPLOADED = "Pipeline Uploaded";
    public static final String DETAIL_TYPE_BUILD_STATE_CHANGED = "Build State Changed";
    public static final String DETAIL_TYPE_JOB_STATE_CHANGED = "Job State Changed";
    public static final String DETAIL_TYPE_AGENT_STATE_CHANGED = "Agent State Changed";
    public static final String DETAIL_TYPE_DEPLOYMENT_STATE_CHANGED = "Deployment State Changed";
    public static final String DETAIL_TYPE_SECRET_ROTATED = "Secret Rotated";

    /** Name of the EventBridge bus every event is published to. */
    public static final String BUS_NAME = "hybridci";

    /**
     * SQS message attribute carrying the ISO-8601 UTC time an agent signed an
     * {@code agent-updates} message; the body itself is not signed-over twice.
     */
    public static final String ATTRIBUTE_TIMESTAMP = "hybridci-timestamp";
    /**
     * SQS message attribute carrying the lowercase hex HMAC-SHA256, keyed with the agent's
     * signing key, over {@code timestamp + "\n" + body}.
     */
    public static final String ATTRIBUTE_SIGNATURE = "hybridci-signature";

    private EventTypes() {
    }
}
