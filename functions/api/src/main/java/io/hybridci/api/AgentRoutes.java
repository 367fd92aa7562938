package io.hybridci.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.agentapi.Acceptance;
import io.hybridci.core.agentapi.AgentApi;
import io.hybridci.core.agentapi.AgentApiSettings;
import io.hybridci.core.agentapi.AuthenticatedAgent;
import io.hybridci.core.agentapi.Directive;
import io.hybridci.core.agentapi.IssuedSession;
import io.hybridci.core.agentapi.PipelineUpload;
import io.hybridci.core.agentapi.RegisterRequest;
import io.hybridci.core.agentapi.Registration;
import io.hybridci.core.pipeline.PipelineParser;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** The agent routes, {@code /agent/v1/…} (docs/agent-protocol.md): JSON in and out around {@link AgentApi}. */
final class AgentRoutes {

    private static final Pattern NAME = Pattern.compile("\\S.{0,99}", Pattern.DOTALL);
    private static final Pattern SHORT_TEXT = Pattern.compile(".{0,200}", Pattern.DOTALL);
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private final AgentApi agentApi;

    AgentRoutes(AgentApi agentApi) {
        this.agentApi = Objects.requireNonNull(agentApi, "agentApi");
    }

    List<Router.Route> routes() {
        return List.of(
                new Router.Route("POST", "/agent/v1/register", (request, path) -> register(request)),
                new Router.Route("POST", "/agent/v1/ping", session((request, path, agent) -> ping(request, agent))),
                new Router.Route("POST", "/agent/v1/jobs/{id}/accept",
                        session((request, path, agent) -> accept(path.getFirst(), agent))),
                new Router.Route("POST", "/agent/v1/jobs/{id}/pipeline",
                        session((request, path, agent) -> pipeline(request, path.getFirst(), agent))),
                new Router.Route("POST", "/agent/v1/disconnect", session((request, path, agent) -> disconnect(agent))));
    }

    /** A route that needs a valid session token; everything else is 401 {@code {"error":"unauthorized"}}. */
    private Router.Handler session(SessionHandler handler) {
        return (request, path) -> {
            Optional<AuthenticatedAgent> agent = request.bearerToken().flatMap(agentApi::authenticate);
            return agent.map(caller -> handler.handle(request, path, caller)).orElseGet(AgentRoutes::unauthorized);
        };
    }

    @FunctionalInterface
    private interface SessionHandler {
        HttpResponse handle(HttpRequest request, List<String> path, AuthenticatedAgent agent);
    }

    private HttpResponse register(HttpRequest request) {
        Optional<String> token = request.bearerToken();
        if (token.isEmpty()) {
            return unauthorized();
        }
        ObjectNode body = Json.parseObject(request.body(), false);
        RegisterRequest command = new RegisterRequest(
                Json.requiredString(body, "name", NAME, "1 to 100 characters, not starting with a space"),
                Json.requiredStrings(body, "queues", PipelineParser.QUEUE_NAME,
                        "a queue name (lower-case letters, digits, '-' and '_')"),
                Json.optionalString(body, "version", SHORT_TEXT, "at most 200 characters").orElse(null),
                Json.optionalString(body, "hostname", SHORT_TEXT, "at most 200 characters").orElse(null),
                Json.optionalString(body, "os", SHORT_TEXT, "at most 200 characters").orElse(null),
                Json.optionalString(body, "arch", SHORT_TEXT, "at most 200 characters").orElse(null));
        return switch (agentApi.register(token.get(), command)) {
            case Registration.Unauthorized _ -> unauthorized();
            case Registration.UnknownQueues unknown -> HttpResponse.error(400, "unknown_queue",
                    "no such queue: " + String.join(", ", unknown.queues()));
            case Registration.QueuesNotAllowed notAllowed -> HttpResponse.error(403, "forbidden",
                    "this registration token may not serve: " + String.join(", ", notAllowed.queues()));
            case Registration.Registered registered -> HttpResponse.json(201, registeredView(registered));
        };
    }

    private ObjectNode registeredView(Registration.Registered registered) {
        AgentApiSettings settings = agentApi.settings();
        ObjectNode json = Json.object();
        json.put("agentId", registered.agent().id());
        putSession(json, registered.session());
        ArrayNode queues = json.putArray("queues");
        registered.queueUrls().forEach((name, url) -> {
            ObjectNode queue = queues.addObject().put("name", name).put("url", url);
            // Highest priority first (docs/agent-protocol.md, "Priorities"); `url` stays for agents that predate it.
            settings.queueUrlsInPriorityOrder(name).forEach(queue.putArray("urls")::add);
        });
        json.put("agentUpdatesQueueUrl", settings.agentUpdatesQueueUrl());
        json.put("region", settings.region());
        if (settings.sqsEndpoint() != null) {
            json.put("sqsEndpoint", settings.sqsEndpoint());
        }
        json.put("pingIntervalSeconds", settings.pingIntervalSeconds());
        json.put("jobPollWaitSeconds", settings.jobPollWaitSeconds());
        return json;
    }

    private HttpResponse ping(HttpRequest request, AuthenticatedAgent agent) {
        ObjectNode body = Json.parseObject(request.body(), true);
        Optional<String> jobId = Json.optionalString(body, "jobId", JOB_ID, "a job id");
        ObjectNode json = Json.object();
        ArrayNode directives = json.putArray("directives");
        for (Directive directive : agentApi.ping(agent, jobId)) {
            ObjectNode item = directives.addObject();
            switch (directive) {
                case Directive.Cancel cancel -> item.put("type", "cancel").put("jobId", cancel.jobId());
                case Directive.Drain _ -> item.put("type", "drain");
                case Directive.Pause _ -> item.put("type", "pause");
                case Directive.Session session -> {
                    item.put("type", "session");
                    putSession(item, session.session());
                }
            }
        }
        json.put("pingIntervalSeconds", agentApi.settings().pingIntervalSeconds());
        return HttpResponse.json(200, json);
    }

    private HttpResponse accept(String jobId, AuthenticatedAgent agent) {
        return switch (agentApi.accept(agent, jobId)) {
            case Acceptance.Accepted accepted -> {
                ObjectNode json = Json.object();
                json.set("job", Views.jobToRun(accepted.job(), accepted.build()));
                yield HttpResponse.json(200, json);
            }
            case Acceptance.Conflict conflict -> HttpResponse.error(409, "conflict", conflict.message());
            case Acceptance.NotFound _ -> notFound(jobId);
        };
    }

    private HttpResponse pipeline(HttpRequest request, String jobId, AuthenticatedAgent agent) {
        ObjectNode body = Json.parseObject(request.body(), false);
        String text = Json.requiredString(body, "pipeline", null, "");
        return switch (agentApi.uploadPipeline(agent, jobId, text)) {
            case PipelineUpload.Uploaded uploaded -> {
                ObjectNode json = Json.object();
                json.put("steps", uploaded.steps());
                yield HttpResponse.json(200, json);
            }
            case PipelineUpload.Invalid invalid -> {
                ObjectNode json = Json.object();
                json.put("error", "invalid_pipeline");
                json.put("message", invalid.errors().size() == 1 ? invalid.errors().getFirst()
                        : invalid.errors().size() + " errors in the pipeline; the first: " + invalid.errors().getFirst());
                ArrayNode errors = json.putArray("errors");
                invalid.errors().forEach(errors::add);
                yield HttpResponse.json(422, json);
            }
            case PipelineUpload.NotFound _ -> notFound(jobId);
            case PipelineUpload.NotBootstrap notBootstrap -> HttpResponse.error(409, "not_bootstrap", notBootstrap.message());
            case PipelineUpload.NotHeld notHeld -> HttpResponse.error(403, "forbidden", notHeld.message());
            case PipelineUpload.NotRunning notRunning -> HttpResponse.error(409, "conflict", notRunning.message());
        };
    }

    private HttpResponse disconnect(AuthenticatedAgent agent) {
        agentApi.disconnect(agent);
        return HttpResponse.noContent();
    }

    private static void putSession(ObjectNode json, IssuedSession session) {
        // The one place a token and key leave the control plane in clear: the agent's own response.
        json.put("sessionToken", session.sessionToken().reveal());
        json.put("sessionExpiresAt", session.expiresAt().toString());
        json.put("signingKey", session.signingKey().reveal());
    }

    private static HttpResponse unauthorized() {
        ObjectNode json = Json.object();
        json.put("error", "unauthorized");
        json.put("message", "missing, unknown, expired or revoked token");
        return HttpResponse.json(401, json);
    }

    private static HttpResponse notFound(String jobId) {
        return HttpResponse.error(404, "not_found", "no job " + jobId);
    }

}
