package io.hybridci.aws.dynamodb;

import io.hybridci.core.deployment.Color;
import io.hybridci.core.deployment.Deployment;
import io.hybridci.core.deployment.DeploymentState;
import io.hybridci.core.deployment.Environment;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import static io.hybridci.aws.dynamodb.Attributes.putInstant;
import static io.hybridci.aws.dynamodb.Attributes.putString;
import static io.hybridci.aws.dynamodb.Attributes.s;

/**
 * Environments and deployments as {@code state} items (docs/data-model.md):
 * <ul>
 *   <li>environment {@code ENV#<name>} / {@code ENV}; gsi1 {@code ENVS} / {@code <name>} lists them by name;</li>
 *   <li>deployment {@code DEPLOYMENT#<id>} / {@code DEPLOYMENT}; gsi1 {@code DEPLOYMENTS#<environment>} /
 *   {@code <createdAt>#<id>} is an environment's history (newest first with ScanIndexForward=false).</li>
 * </ul>
 * Both carry {@code id} (the environment's name, the deployment's id): the audit-writer chains them as
 * {@code environment:<name>} and {@code deployment:<id>}.
 */
public final class DeploymentItems {

    static final String ENVIRONMENT_SK = "ENV";
    static final String ALL_ENVIRONMENTS = "ENVS";
    static final String DEPLOYMENT_SK = "DEPLOYMENT";

    private DeploymentItems() {
    }

    static String environmentKey(String name) {
        return "ENV#" + name;
    }

    static String deploymentKey(String id) {
        return "DEPLOYMENT#" + id;
    }

    static String historyPartition(String environment) {
        return "DEPLOYMENTS#" + environment;
    }

    public static Map<String, AttributeValue> toItem(Environment environment) {
        var item = StateItems.item(environmentKey(environment.name()), ENVIRONMENT_SK, EntityType.ENVIRONMENT,
                environment.version(), environment.updatedAt(), environment.lastActor());
        item.put(StateItems.GSI1_PK, s(ALL_ENVIRONMENTS));
        item.put(StateItems.GSI1_SK, s(environment.name()));
        item.put("id", s(environment.name()));
        item.put("requireApproval", Attributes.bool(environment.protection().requireApproval()));
        item.put("allowedBranches", Attributes.stringList(environment.protection().allowedBranches()));
        item.put("allowedRoles", Attributes.stringList(environment.protection().allowedRoles()));
        putString(item, "liveColor", environment.liveColor() == null ? null : environment.liveColor().name());
        putString(item, "liveVersion", environment.liveVersion());
        putString(item, "liveDeploymentId", environment.liveDeploymentId());
        putString(item, "previousDeploymentId", environment.previousDeploymentId());
        putInstant(item, "createdAt", environment.createdAt());
        return item;
    }

    public static Environment environmentFromItem(Map<String, AttributeValue> item) {
        String color = Attributes.nullableString(item, "liveColor");
        return new Environment(Attributes.string(item, "id"),
                new Environment.Protection(Attributes.bool(item, "requireApproval"),
                        Attributes.stringList(item, "allowedBranches"), Attributes.stringList(item, "allowedRoles")),
                color == null ? null : Color.valueOf(color),
                Attributes.nullableString(item, "liveVersion"),
                Attributes.nullableString(item, "liveDeploymentId"),
                Attributes.nullableString(item, "previousDeploymentId"),
                Attributes.instant(item, "createdAt"),
                Attributes.number(item, StateItems.VERSION),
                Attributes.instant(item, StateItems.UPDATED_AT),
                Attributes.string(item, StateItems.LAST_ACTOR));
    }

    public static Map<String, AttributeValue> toItem(Deployment deployment) {
        var item = StateItems.item(deploymentKey(deployment.id()), DEPLOYMENT_SK, EntityType.DEPLOYMENT,
                deployment.version(), deployment.updatedAt(), deployment.lastActor());
        item.put(StateItems.GSI1_PK, s(historyPartition(deployment.environment())));
        item.put(StateItems.GSI1_SK, s(StateItems.sortable(deployment.createdAt()) + "#" + deployment.id()));
        item.put("id", s(deployment.id()));
        item.put("environment", s(deployment.environment()));
        item.put("commit", s(deployment.commit()));
        item.put("color", s(deployment.color().name()));
        item.put("buildId", s(deployment.buildId()));
        item.put("jobId", s(deployment.jobId()));
        item.put("state", s(deployment.state().name()));
        item.put("approvalRequired", Attributes.bool(deployment.approvalRequired()));
        putString(item, "approvedBy", deployment.approvedBy());
        putString(item, "reason", deployment.reason());
        putInstant(item, "createdAt", deployment.createdAt());
        putInstant(item, "deployStartedAt", deployment.deployStartedAt());
        putInstant(item, "liveAt", deployment.liveAt());
        putInstant(item, "finishedAt", deployment.finishedAt());
        putString(item, "replaces", deployment.replaces());
        putString(item, "restores", deployment.restores());
        return item;
    }

    public static Deployment deploymentFromItem(Map<String, AttributeValue> item) {
        return new Deployment(Attributes.string(item, "id"), Attributes.string(item, "environment"),
                Attributes.string(item, "commit"), Color.valueOf(Attributes.string(item, "color")),
                Attributes.string(item, "buildId"), Attributes.string(item, "jobId"),
                DeploymentState.valueOf(Attributes.string(item, "state")),
                Attributes.bool(item, "approvalRequired"),
                Attributes.nullableString(item, "approvedBy"),
                Attributes.nullableString(item, "reason"),
                Attributes.instant(item, "createdAt"),
                Attributes.nullableInstant(item, "deployStartedAt"),
                Attributes.nullableInstant(item, "liveAt"),
                Attributes.nullableInstant(item, "finishedAt"),
                Attributes.number(item, StateItems.VERSION),
                Attributes.instant(item, StateItems.UPDATED_AT),
                Attributes.string(item, StateItems.LAST_ACTOR),
                Attributes.nullableString(item, "replaces"),
                Attributes.nullableString(item, "restores"));
    }
}
