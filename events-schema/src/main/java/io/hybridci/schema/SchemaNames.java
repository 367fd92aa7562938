package io.hybridci.schema;

/**
 * The names of the schemas in {@code schemas/catalog.json}, for
 * {@link SchemaValidator#validate(String, String)} calls at function boundaries.
 * A test checks that every constant names a catalog entry and every entry has a constant.
 */
public final class SchemaNames {

    public static final String GITHUB_PUSH = "github-push";
    public static final String GITHUB_PULL_REQUEST = "github-pull-request";
    public static final String PIPELINE_UPLOADED = "pipeline-uploaded";
    public static final String BUILD_STATE_CHANGED = "build-state-changed";
    public static final String JOB_STATE_CHANGED = "job-state-changed";
    public static final String AGENT_STATE_CHANGED = "agent-state-changed";
    public static final String DEPLOYMENT_STATE_CHANGED = "deployment-state-changed";
    public static final String SECRET_ROTATED = "secret-rotated";
    public static final String JOB_DISPATCH = "job-dispatch";
    public static final String AGENT_STARTED = "agent-started";
    public static final String AGENT_LOG = "agent-log";
    public static final String AGENT_FINISHED = "agent-finished";
    public static final String AGENT_DEPLOY = "agent-deploy";
    public static final String EVENTBRIDGE_ENVELOPE = "eventbridge-envelope";

    private SchemaNames() {
    }
}
