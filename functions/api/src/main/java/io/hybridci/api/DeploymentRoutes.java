package io.hybridci.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.deployment.Deployment;
import io.hybridci.core.deployment.Deployments;
import io.hybridci.core.deployment.Environment;
import io.hybridci.core.port.Page;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Environments (issue 9, docs/deployments.md): {@code GET /api/v1/environments}, {@code GET /api/v1/environments/{name}}
 * (live colour, live version, the history of deployments, paged with {@code limit} and {@code cursor}),
 * {@code PUT /api/v1/environments/{name}} (create, or replace the protection; admin) and
 * {@code POST /api/v1/environments/{name}/rollback} (operator).
 */
final class DeploymentRoutes {

    static final int DEFAULT_HISTORY = 20;
    static final int MAX_HISTORY = 100;
    private static final Pattern BRANCH_GLOB = Pattern.compile("^[^\\s]{1,200}$");
    private static final List<String> ROLES = List.of("admin", "operator", "viewer");

    private final Deployments deployments;
    private final AdminAuthenticator admin;

    DeploymentRoutes(Deployments deployments, AdminAuthenticator admin) {
        this.deployments = Objects.requireNonNull(deployments, "deployments");
        this.admin = Objects.requireNonNull(admin, "admin");
    }

    List<Router.Route> routes() {
        return List.of(
                new Router.Route("GET", "/api/v1/environments", guarded((request, path) -> list())),
                new Router.Route("GET", "/api/v1/environments/{name}",
                        guarded((request, path) -> show(request, path.getFirst()))),
                new Router.Route("PUT", "/api/v1/environments/{name}",
                        guarded((request, path) -> put(request, path.getFirst()))),
                new Router.Route("POST", "/api/v1/environments/{name}/rollback",
                        guarded((request, path) -> rollback(request, path.getFirst()))));
    }

    private Router.Handler guarded(Router.Handler handler) {
        return (request, path) -> admin.guard(request, path, handler);
    }

    private HttpResponse list() {
        ObjectNode json = Json.object();
        ArrayNode items = json.putArray("environments");
        deployments.store().environments().forEach(environment -> items.add(environment(environment)));
        return HttpResponse.json(200, json);
    }

    private HttpResponse show(HttpRequest request, String name) {
        Optional<Environment> found = validName(name).flatMap(deployments.store()::findEnvironment);
        if (found.isEmpty()) {
            return HttpResponse.error(404, "not_found", "no environment " + name);
        }
        int limit = limit(request);
        Optional<String> cursor = request.queryParameter("cursor").filter(value -> !value.isEmpty());
        Page<Deployment> page;
        try {
            page = deployments.store().history(name, limit, cursor);
        } catch (IllegalArgumentException | IllegalStateException badCursor) {
            return HttpResponse.error(400, "bad_request", "parameter \"cursor\" is not a cursor this API returned");
        }
        ObjectNode json = Json.object();
        json.set("environment", environment(found.get()));
        ArrayNode history = json.putArray("deployments");
        page.items().forEach(deployment -> history.add(deployment(deployment)));
        json.put("next", page.next().orElse(null));
        return HttpResponse.json(200, json);
    }

    private HttpResponse put(HttpRequest request, String name) {
        if (validName(name).isEmpty()) {
            return HttpResponse.error(400, "bad_request", "environment name \"" + name
                    + "\" must be 1 to 63 lower-case letters, digits, '_' and '-', starting with a letter or digit");
        }
        ObjectNode body = Json.parseObject(request.body(), true);
        for (var field : body.properties()) {
            if (!List.of("requireApproval", "allowedBranches", "allowedRoles").contains(field.getKey())) {
                throw ApiProblem.badRequest("unknown field \"" + field.getKey()
                        + "\" (allowed: requireApproval, allowedBranches, allowedRoles)");
            }
        }
        JsonNode approval = body.get("requireApproval");
        if (approval != null && !approval.isNull() && !approval.isBoolean()) {
            throw ApiProblem.badRequest("field \"requireApproval\" must be true or false");
        }
        List<String> branches = strings(body, "allowedBranches", BRANCH_GLOB, "a branch glob without spaces");
        List<String> roles = strings(body, "allowedRoles", null, "one of admin, operator, viewer");
        for (String role : roles) {
            if (!ROLES.contains(role.toLowerCase(Locale.ROOT))) {
                throw ApiProblem.badRequest("field \"allowedRoles\": \"" + role + "\" is not one of admin, operator, viewer");
            }
        }
        Environment.Protection protection = new Environment.Protection(approval != null && approval.asBoolean(false),
                branches, roles);
        Deployments.Saved saved = deployments.putEnvironment(name, protection, admin.actor(request));
        ObjectNode json = Json.object();
        json.set("environment", environment(saved.environment()));
        return HttpResponse.json(saved.created() ? 201 : 200, json);
    }

    private HttpResponse rollback(HttpRequest request, String name) {
        if (validName(name).isEmpty()) {
            return HttpResponse.error(404, "not_found", "no environment " + name);
        }
        return switch (deployments.rollback(name, admin.actor(request))) {
            case Deployments.RollbackResult.Started started -> {
                ObjectNode json = Json.object();
                json.set("deployment", deployment(started.deployment()));
                json.set("job", Views.job(started.job()));
                yield HttpResponse.json(202, json);
            }
            case Deployments.RollbackResult.NotFound notFound -> HttpResponse.error(404, "not_found", notFound.message());
            case Deployments.RollbackResult.Conflict conflict -> HttpResponse.error(409, "conflict", conflict.message());
        };
    }

    private static Optional<String> validName(String name) {
        return Environment.isValidName(name) ? Optional.of(name) : Optional.empty();
    }

    private static int limit(HttpRequest request) {
        Optional<String> raw = request.queryParameter("limit").filter(value -> !value.isEmpty());
        if (raw.isEmpty()) {
            return DEFAULT_HISTORY;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value >= 1 && value <= MAX_HISTORY) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw ApiProblem.badRequest("parameter \"limit\" must be a whole number from 1 to " + MAX_HISTORY);
    }

    private static List<String> strings(ObjectNode body, String field, Pattern pattern, String expected) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray() || value.size() > 50) {
            throw ApiProblem.badRequest("field \"" + field + "\" must be an array of at most 50 strings");
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isTextual() || (pattern != null && !pattern.matcher(item.textValue()).matches())) {
                throw ApiProblem.badRequest("field \"" + field + "[" + i + "]\" must be " + expected);
            }
            items.add(item.textValue());
        }
        return items;
    }

    /** An environment: {@code name, protection, liveColor, liveVersion, liveDeploymentId, previousDeploymentId, …}. */
    static ObjectNode environment(Environment environment) {
        ObjectNode json = Json.object();
        json.put("name", environment.name());
        ObjectNode protection = json.putObject("protection");
        protection.put("requireApproval", environment.protection().requireApproval());
        ArrayNode branches = protection.putArray("allowedBranches");
        environment.protection().allowedBranches().forEach(branches::add);
        ArrayNode roles = protection.putArray("allowedRoles");
        environment.protection().allowedRoles().forEach(roles::add);
        json.put("liveColor", environment.liveColor() == null ? null
                : environment.liveColor().name().toLowerCase(Locale.ROOT));
        json.put("liveVersion", environment.liveVersion());
        json.put("liveDeploymentId", environment.liveDeploymentId());
        json.put("previousDeploymentId", environment.previousDeploymentId());
        Json.putInstant(json, "createdAt", environment.createdAt());
        Json.putInstant(json, "updatedAt", environment.updatedAt());
        return json;
    }

    /** A deployment: {@code id, environment, version, color, state, buildId, jobId, approvedBy, reason, …}. */
    static ObjectNode deployment(Deployment deployment) {
        ObjectNode json = Json.object();
        json.put("id", deployment.id());
        json.put("environment", deployment.environment());
        json.put("version", deployment.commit());
        json.put("color", deployment.color().name().toLowerCase(Locale.ROOT));
        json.put("state", deployment.state().name());
        json.put("buildId", deployment.buildId());
        json.put("jobId", deployment.jobId());
        json.put("approvalRequired", deployment.approvalRequired());
        json.put("approvedBy", deployment.approvedBy());
        json.put("reason", deployment.reason());
        json.put("replaces", deployment.replaces());
        json.put("restores", deployment.restores());
        Json.putInstant(json, "createdAt", deployment.createdAt());
        Json.putInstant(json, "deployStartedAt", deployment.deployStartedAt());
        Json.putInstant(json, "liveAt", deployment.liveAt());
        Json.putInstant(json, "finishedAt", deployment.finishedAt());
        return json;
    }
}
