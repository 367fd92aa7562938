package io.hybridci.status;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.aws.config.AwsClients;
import io.hybridci.aws.dynamodb.DynamoDbBuildRepository;
import io.hybridci.aws.dynamodb.DynamoDbJobRepository;
import io.hybridci.aws.github.GithubReporters;
import io.hybridci.aws.github.GithubStatusConfig;
import io.hybridci.core.status.BuildStateChange;
import io.hybridci.core.status.BuildStatusReporting;
import io.hybridci.core.status.JobStateChange;
import io.hybridci.core.status.StatusReport;
import io.hybridci.schema.EventTypes;
import io.hybridci.schema.SchemaNames;
import io.hybridci.schema.SchemaValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * github-status (EventBridge rules {@code build-state-changed} and {@code job-state-changed}): sets the commit
 * status of the build's commit on GitHub, and, when per-job statuses are on, one status per job. A failure throws on purpose: EventBridge's asynchronous invocation retries the
 * event (and finally parks it), while the build itself never waits on GitHub.
 */
public final class GithubStatusHandler implements RequestStreamHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(GithubStatusHandler.class.getName());

    private final BuildStatusReporting reporting;
    private final SchemaValidator schemas;

    /** Used by Lambda: clients and the GitHub reporter built once per container from the environment. */
    public GithubStatusHandler() {
        this(System.getenv(), null);
    }

    /**
     * Used by the local cloud: its clients (pointed at the local engines) and the environment it gives
     * this function; {@code GITHUB_API_URL} may point at any GitHub-compatible server.
     */
    public GithubStatusHandler(Map<String, String> env, AwsClients clients) {
        this(wire(GithubStatusConfig.fromEnv(env), clients));
    }

    /** Used by tests. */
    public GithubStatusHandler(BuildStatusReporting reporting) {
        this.reporting = Objects.requireNonNull(reporting, "reporting");
        this.schemas = SchemaValidator.shared();
    }

    private static BuildStatusReporting wire(GithubStatusConfig config, AwsClients given) {
        AwsClients clients = given != null ? given : AwsClients.from(config.function());
        String table = config.function().stateTable()
                .orElseThrow(() -> new IllegalStateException("missing environment variable STATE_TABLE"));
        // Jobs are only read by id here, never listed by queue: no queue names needed.
        return new BuildStatusReporting(new DynamoDbBuildRepository(clients.dynamoDb(), table),
                new DynamoDbJobRepository(clients.dynamoDb(), table, Set.of()),
                GithubReporters.fromSecret(clients.secretsManager(), config.credentialsId(), config.apiUrl()),
                config.statusSettings());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = JSON.readTree(input);
        String source = event.path("source").asText();
        String detailType = event.path("detail-type").asText();
        JsonNode detail = event.get("detail");
        StatusReport report;
        if (source.equals(EventTypes.SOURCE_BUILDS) && detailType.equals(EventTypes.DETAIL_TYPE_BUILD_STATE_CHANGED)) {
            schemas.requireValid(SchemaNames.BUILD_STATE_CHANGED, String.valueOf(detail));
            report = reporting.report(BuildStateChange.fromJson(detail));
        } else if (source.equals(EventTypes.SOURCE_JOBS) && detailType.equals(EventTypes.DETAIL_TYPE_JOB_STATE_CHANGED)) {
            schemas.requireValid(SchemaNames.JOB_STATE_CHANGED, String.valueOf(detail));
            report = reporting.report(JobStateChange.fromJson(detail));
        } else {
            throw new IllegalArgumentException("event " + event.path("id").asText() + " (" + source + " / " + detailType
                    + ") is not for github-status; check the rules that target it");
        }
        LOG.log(System.Logger.Level.INFO, "event {0}: {1}", event.path("id").asText(), report);
        output.write(JSON.writeValueAsBytes(summary(report)));
    }

    private static ObjectNode summary(StatusReport report) {
        ObjectNode json = JSON.createObjectNode();
        switch (report) {
            case StatusReport.Reported reported -> json.put("state", reported.status().state().apiValue())
                    .put("repo", reported.repo()).put("commit", reported.commit());
            case StatusReport.NotReported skipped -> json.put("notReported", skipped.reason());
        }
        return json;
    }
}
