package io.hybridci.planner;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.aws.config.Adapters;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.planning.BuildPlanner;
import io.hybridci.core.planning.PlanOutcome;
import io.hybridci.core.port.BuildRepository;
import io.hybridci.core.port.JobRepository;
import io.hybridci.schema.SchemaValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import io.hybridci.core.policy.CancelSuperseded;
import io.hybridci.topology.EnvironmentNames;
import java.time.Clock;
import java.util.Objects;

/**
 * build-planner (EventBridge rules {@code github-push}, {@code github-pull-request},
 * {@code pipeline-uploaded}). The envelope is read as a stream into a record: no reflective
 * {@code Map<String,Object>} on this hot path. A failure throws, so that EventBridge's asynchronous
 * invocation retries it and finally parks it in the DLQ; re-delivery is harmless because every
 * create is conditional on deterministic ids.
 */
public final class BuildPlannerHandler implements RequestStreamHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(BuildPlannerHandler.class.getName());

    private final PlannerRoutes routes;

    /** Used by Lambda: the real adapters, built once per container from the environment. */
    public BuildPlannerHandler() {
        this(Adapters.fromEnvironment(System.getenv()), Clock.systemUTC(),
                CancelSuperseded.parse(System.getenv(EnvironmentNames.CANCEL_SUPERSEDED_BRANCHES)));
    }

    /** Used by the local cloud: its adapters and clock, the policy read from the function's environment. */
    public BuildPlannerHandler(Adapters adapters, Clock clock, CancelSuperseded cancelSuperseded) {
        this(new PlannerRoutes(new BuildPlanner(adapters.builds(), adapters.jobs(), clock, cancelSuperseded),
                SchemaValidator.shared()));
    }

    /** Used by the local cloud, which builds one {@link Adapters} against its local endpoints. */
    public BuildPlannerHandler(Adapters adapters) {
        this(adapters.builds(), adapters.jobs(), Clock.systemUTC());
    }

    /** Used by tests and the local cloud. */
    public BuildPlannerHandler(BuildRepository builds, JobRepository jobs, Clock clock) {
        this(new PlannerRoutes(new BuildPlanner(builds, jobs, clock), SchemaValidator.shared()));
    }

    public BuildPlannerHandler(PlannerRoutes routes) {
        this.routes = Objects.requireNonNull(routes, "routes");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        EventEnvelope event = EventEnvelope.read(JSON, input);
        PlanOutcome outcome = routes.route(event);
        LOG.log(System.Logger.Level.INFO, "event {0} ({1}): {2}", event.id(), event.detailType(), outcome);
        output.write(JSON.writeValueAsBytes(summary(outcome)));
    }

    /** What was done, for the local cloud's log and for tests; EventBridge ignores an async target's output. */
    private static ObjectNode summary(PlanOutcome outcome) {
        ObjectNode json = JSON.createObjectNode();
        switch (outcome) {
            case PlanOutcome.Planned planned -> {
                json.put("buildId", planned.buildId());
                json.set("created", JSON.valueToTree(planned.createdJobIds()));
                json.set("existing", JSON.valueToTree(planned.existingJobIds()));
            }
            case PlanOutcome.NothingToBuild nothing -> json.put("nothingToBuild", nothing.reason());
        }
        return json;
    }
}
