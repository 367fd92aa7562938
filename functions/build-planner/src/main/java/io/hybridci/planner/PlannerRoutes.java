package io.hybridci.planner;

import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.core.github.GithubPullRequest;
import io.hybridci.core.github.GithubPush;
import io.hybridci.core.planning.BuildPlanner;
import io.hybridci.core.planning.PlanOutcome;
import io.hybridci.core.planning.UploadedPipeline;
import io.hybridci.schema.EventTypes;
import io.hybridci.schema.SchemaNames;
import io.hybridci.schema.SchemaValidator;
import java.util.Objects;

/**
 * Sends each event the planner's rules deliver ({@code github-push}, {@code github-pull-request},
 * {@code pipeline-uploaded}) to its {@link BuildPlanner} method, after checking its detail against
 * its schema. Anything else is refused: a rule routed it here by mistake.
 */
public final class PlannerRoutes {

    private final BuildPlanner planner;
    private final SchemaValidator schemas;

    public PlannerRoutes(BuildPlanner planner, SchemaValidator schemas) {
        this.planner = Objects.requireNonNull(planner, "planner");
        this.schemas = Objects.requireNonNull(schemas, "schemas");
    }

    /**
     * Plans for one event.
     *
     * @throws io.hybridci.schema.InvalidPayloadException when the detail does not fit its schema
     * @throws IllegalArgumentException when no rule should have sent this event here
     */
    public PlanOutcome route(EventEnvelope event) {
        String source = event.source();
        String detailType = event.detailType();
        if (source.equals(EventTypes.SOURCE_GITHUB) && detailType.equals(GithubPush.EVENT_NAME)) {
            return planner.plan(GithubPush.fromJson(valid(SchemaNames.GITHUB_PUSH, event)));
        }
        if (source.equals(EventTypes.SOURCE_GITHUB) && detailType.equals(GithubPullRequest.EVENT_NAME)) {
            return planner.plan(GithubPullRequest.fromJson(valid(SchemaNames.GITHUB_PULL_REQUEST, event)));
        }
        if (source.equals(EventTypes.SOURCE_BUILDS) && detailType.equals(EventTypes.DETAIL_TYPE_PIPELINE_UPLOADED)) {
            return planner.plan(UploadedPipeline.fromJson(valid(SchemaNames.PIPELINE_UPLOADED, event)));
        }
        throw new IllegalArgumentException("event " + event.id() + " (" + source + " / " + detailType
                + ") is not for the build-planner; check the rules that target it");
    }

    private JsonNode valid(String schemaName, EventEnvelope event) {
        schemas.requireValid(schemaName, event.detail().toString());
        return event.detail();
    }
}
