package io.hybridci.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.agent.Agent;
import io.hybridci.core.agentadmin.AgentAdmin;
import io.hybridci.core.agentadmin.AgentCommand;
import io.hybridci.core.agentadmin.AgentCommandResult;
import io.hybridci.core.agentadmin.NewRegistrationToken;
import io.hybridci.core.agentadmin.RegistrationTokenAdmin;
import io.hybridci.core.port.Page;
import io.hybridci.core.port.RegistrationToken;
import io.hybridci.core.rotation.BegunRotation;
import io.hybridci.core.rotation.RotationFailure;
import io.hybridci.core.rotation.RotationStatus;
import io.hybridci.core.rotation.SecretRotation;
import io.hybridci.core.rotation.StepOutcome;
import io.hybridci.topology.Topology;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The admin routes of issue 6 (admin bearer token): agents ({@code GET /api/v1/agents}, pause, resume,
 * drain, {@code DELETE}), registration tokens ({@code /api/v1/registration-tokens}: the value is in the
 * creation answer only) and secret rotation ({@code /api/v1/secrets/{name}}: {@code rotate} answers the
 * new value once, {@code finish} ends the rotation). No answer other than those two carries a secret.
 */
final class AdminRoutes {

    /** Secrets an admin may rotate by their short name in the path; the registration token rotates on its schedule. */
    static final Map<String, String> ROTATABLE = Map.of("github-webhook", Topology.WEBHOOK_SECRET);

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    private static final Pattern QUEUE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern DESCRIPTION = Pattern.compile(".{0,200}", Pattern.DOTALL);

    private final AgentAdmin agents;
    private final Optional<RegistrationTokenAdmin> tokens;
    private final Optional<SecretRotation> rotation;
    private final AdminAuthenticator admin;

    /** @param tokens and {@code rotation}: empty where the function is not given the port (the routes answer 503) */
    AdminRoutes(AgentAdmin agents, Optional<RegistrationTokenAdmin> tokens, Optional<SecretRotation> rotation,
                AdminAuthenticator admin) {
        this.agents = Objects.requireNonNull(agents, "agents");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.rotation = Objects.requireNonNull(rotation, "rotation");
        this.admin = Objects.requireNonNull(admin, "admin");
    }

    List<Router.Route> routes() {
        return List.of(
                new Router.Route("GET", "/api/v1/agents", adminOnly((request, path) -> listAgents(request))),
                new Router.Route("GET", "/api/v1/agents/{id}", adminOnly((request, path) -> agent(id(path)))),
                new Router.Route("DELETE", "/api/v1/agents/{id}", adminOnly((request, path) ->
                        agentResult(id(path), agents.remove(id(path), admin.actor(request))))),
                new Router.Route("POST", "/api/v1/agents/{id}/pause", adminOnly((request, path) -> command(request, path, AgentCommand.PAUSE))),
                new Router.Route("POST", "/api/v1/agents/{id}/resume", adminOnly((request, path) -> command(request, path, AgentCommand.RESUME))),
                new Router.Route("POST", "/api/v1/agents/{id}/drain", adminOnly((request, path) -> command(request, path, AgentCommand.DRAIN))),
                new Router.Route("GET", "/api/v1/registration-tokens", adminOnly((request, path) -> listTokens(request))),
                new Router.Route("POST", "/api/v1/registration-tokens", adminOnly((request, path) -> createToken(request))),
                new Router.Route("DELETE", "/api/v1/registration-tokens/{id}", adminOnly((request, path) -> revokeToken(id(path)))),
                new Router.Route("GET", "/api/v1/secrets/{name}", adminOnly((request, path) -> secretStatus(path))),
                new Router.Route("POST", "/api/v1/secrets/{name}/rotate", adminOnly((request, path) -> rotate(path))),
                new Router.Route("POST", "/api/v1/secrets/{name}/finish", adminOnly((request, path) -> finish(path))));
    }

    private Router.Handler adminOnly(Router.Handler handler) {
        return (request, path) -> admin.guard(request, path, handler);
    }

    // ---- agents ----

    private HttpResponse listAgents(HttpRequest request) {
        int limit = intParameter(request, "limit", 50, 1, 100);
        Optional<String> cursor = request.queryParameter("cursor").filter(value -> !value.isEmpty());
        Page<Agent> page;
        try {
            page = agents.list(limit, cursor);
        } catch (IllegalArgumentException badCursor) {
            throw ApiProblem.badRequest("parameter \"cursor\" is not a cursor this API returned");
        }
        ObjectNode json = Json.object();
        ArrayNode items = json.putArray("agents");
        page.items().forEach(agent -> items.add(agentView(agent)));
        json.put("next", page.next().orElse(null));
        return HttpResponse.json(200, json);
    }

    private HttpResponse agent(String agentId) {
        return agents.find(agentId).map(agent -> HttpResponse.json(200, agentView(agent)))
                .orElseGet(() -> HttpResponse.error(404, "not_found", "no agent " + agentId));
    }

    private HttpResponse command(HttpRequest request, List<String> path, AgentCommand command) {
        return agentResult(id(path), agents.command(id(path), command, admin.actor(request)));
    }

    private static HttpResponse agentResult(String agentId, AgentCommandResult result) {
        return switch (result) {
            case AgentCommandResult.Done done -> HttpResponse.json(200, agentView(done.agent()));
            case AgentCommandResult.NotFound _ -> HttpResponse.error(404, "not_found", "no agent " + agentId);
            case AgentCommandResult.Conflict conflict -> HttpResponse.error(409, "conflict", conflict.message());
        };
    }

    static ObjectNode agentView(Agent agent) {
        ObjectNode json = Json.object();
        json.put("id", agent.id());
        json.put("name", agent.name());
        json.put("state", agent.state().name());
        ArrayNode queues = json.putArray("queues");
        agent.queues().forEach(queues::add);
        json.put("currentJobId", agent.currentJobId());
        json.put("agentVersion", agent.agentVersion());
        Json.putInstant(json, "lastSeenAt", agent.lastSeenAt());
        Json.putInstant(json, "connectedAt", agent.connectedAt());
        Json.putInstant(json, "sessionExpiresAt", agent.sessionExpiresAt());
        return json;
    }

    // ---- registration tokens ----

    private HttpResponse listTokens(HttpRequest request) {
        RegistrationTokenAdmin admin = tokensOrUnavailable();
        int limit = intParameter(request, "limit", 50, 1, 100);
        Optional<String> cursor = request.queryParameter("cursor").filter(value -> !value.isEmpty());
        Page<RegistrationToken> page;
        try {
            page = admin.list(limit, cursor);
        } catch (IllegalArgumentException badCursor) {
            throw ApiProblem.badRequest("parameter \"cursor\" is not a cursor this API returned");
        }
        ObjectNode json = Json.object();
        ArrayNode items = json.putArray("registrationTokens");
        page.items().forEach(token -> items.add(tokenView(token)));
        json.put("next", page.next().orElse(null));
        return HttpResponse.json(200, json);
    }

    private HttpResponse createToken(HttpRequest request) {
        RegistrationTokenAdmin admin = tokensOrUnavailable();
        ObjectNode body = Json.parseObject(request.body(), true);
        String description = Json.optionalString(body, "description", DESCRIPTION, "at most 200 characters").orElse(null);
        List<String> queues = body.hasNonNull("allowedQueues")
                ? Json.requiredStrings(body, "allowedQueues", QUEUE, "a queue name") : List.of();
        Instant expiresAt = Json.optionalString(body, "expiresAt", null, null).map(text -> {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException notAnInstant) {
                throw ApiProblem.badRequest("field \"expiresAt\" must be an ISO-8601 UTC time, e.g. 2030-01-01T00:00:00Z");
            }
        }).orElse(null);
        return switch (admin.create(new NewRegistrationToken(description, queues, expiresAt))) {
            case RegistrationTokenAdmin.Creation.Invalid invalid -> HttpResponse.error(400, "bad_request", invalid.message());
            case RegistrationTokenAdmin.Creation.Created created -> {
                ObjectNode json = tokenView(created.token().stored());
                // The only answer that carries the value: it is stored as a hash and cannot be shown again.
                json.put("token", created.token().value().reveal());
                yield HttpResponse.json(201, json);
            }
        };
    }

    private HttpResponse revokeToken(String id) {
        return tokensOrUnavailable().revoke(id) ? HttpResponse.noContent()
                : HttpResponse.error(404, "not_found", "no registration token " + id);
    }

    private static ObjectNode tokenView(RegistrationToken token) {
        ObjectNode json = Json.object();
        json.put("id", token.id());
        json.put("description", token.description());
        ArrayNode queues = json.putArray("allowedQueues");
        token.allowedQueues().forEach(queues::add);
        Json.putInstant(json, "createdAt", token.createdAt());
        Json.putInstant(json, "expiresAt", token.expiresAt());
        json.put("revoked", token.revoked());
        return json;
    }

    private RegistrationTokenAdmin tokensOrUnavailable() {
        return tokens.orElseThrow(() -> new ApiProblem(503, "unavailable",
                "registration tokens are not configured for this function"));
    }

    // ---- secrets ----

    private HttpResponse secretStatus(List<String> path) {
        SecretRotation secrets = rotationOrUnavailable();
        String secret = secretName(path);
        secrets.finishOverdue();
        return HttpResponse.json(200, statusView(secrets.status(secret)));
    }

    private HttpResponse rotate(List<String> path) {
        SecretRotation secrets = rotationOrUnavailable();
        BegunRotation begun;
        try {
            begun = secrets.begin(secretName(path));
        } catch (RotationFailure failed) {
            return HttpResponse.error(409, "rotation_failed", failed.getMessage());
        }
        ObjectNode json = Json.object();
        json.put("secret", begun.secret());
        json.put("versionId", begun.versionId());
        json.put("alreadyPending", begun.alreadyPending());
        Json.putInstant(json, "finishBy", begun.finishBy());
        // Shown to the admin to paste into GitHub; both values verify deliveries until the rotation finishes.
        json.put("value", begun.pendingValue().reveal());
        return HttpResponse.json(200, json);
    }

    private HttpResponse finish(List<String> path) {
        SecretRotation secrets = rotationOrUnavailable();
        String secret = secretName(path);
        StepOutcome outcome;
        try {
            outcome = secrets.finish(secret);
        } catch (RotationFailure failed) {
            return HttpResponse.error(409, "rotation_failed", failed.getMessage());
        }
        ObjectNode json = statusView(secrets.status(secret));
        json.put("finished", outcome instanceof StepOutcome.Done);
        return HttpResponse.json(200, json);
    }

    private static ObjectNode statusView(RotationStatus status) {
        ObjectNode json = Json.object();
        json.put("secret", status.secret());
        json.put("currentVersionId", status.currentVersionId());
        json.put("pendingVersionId", status.pendingVersionId());
        Json.putInstant(json, "pendingSince", status.pendingSince());
        Json.putInstant(json, "finishBy", status.finishBy());
        return json;
    }

    private SecretRotation rotationOrUnavailable() {
        return rotation.orElseThrow(() -> new ApiProblem(503, "unavailable",
                "secret rotation is not configured for this function"));
    }

    private static String secretName(List<String> path) {
        String name = path.getFirst();
        String secret = ROTATABLE.get(name);
        if (secret == null) {
            throw new ApiProblem(404, "not_found", "no rotatable secret " + (ID.matcher(name).matches() ? name : "")
                    + "; known: " + String.join(", ", ROTATABLE.keySet()));
        }
        return secret;
    }

    private static String id(List<String> path) {
        String id = path.getFirst();
        if (!ID.matcher(id).matches()) {
            throw ApiProblem.badRequest("the id in the path must be 1 to 128 of A-Z a-z 0-9 . _ : -");
        }
        return id;
    }

    private static int intParameter(HttpRequest request, String name, int defaultValue, int min, int max) {
        Optional<String> raw = request.queryParameter(name).filter(value -> !value.isEmpty());
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // Same message as out of range.
        }
        throw ApiProblem.badRequest("parameter \"" + name + "\" must be an integer from " + min + " to " + max);
    }
}
