package io.hybridci.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.core.agentapi.AgentApiSettings;
import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildSource;
import io.hybridci.core.job.Job;
import io.hybridci.core.port.RegistrationToken;
import io.hybridci.core.port.inmemory.InMemoryAgentRepository;
import io.hybridci.core.port.inmemory.InMemoryAuditLog;
import io.hybridci.core.port.inmemory.InMemoryBuildRepository;
import io.hybridci.core.port.inmemory.InMemoryCredentialStore;
import io.hybridci.core.port.inmemory.InMemoryDeploymentStore;
import io.hybridci.core.port.inmemory.InMemoryJobRepository;
import io.hybridci.core.port.inmemory.InMemoryLogStore;
import io.hybridci.core.port.inmemory.RecordingEventPublisher;
import io.hybridci.core.port.inmemory.StaticSecretSource;
import io.hybridci.core.security.TokenKind;
import io.hybridci.core.security.Tokens;
import io.hybridci.core.userapi.BootstrapBuilds;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The api handler over the in-memory adapters, with a clock the test moves, and helpers that load
 * API Gateway v2 fixtures ({@code src/test/resources/events/apigw}) and parse the answers.
 */
final class ApiTestBed {

    static final Instant START = Instant.parse("2025-03-01T12:00:00Z");
    static final String BUILD_ID = "build-1";
    static final String JOBS_DEFAULT_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs-default";
    static final String JOBS_DEFAULT_HIGH_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs-default-high";
    static final String AGENT_UPDATES_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/agent-updates.fifo";

    final MovableClock clock = new MovableClock(START);
    final InMemoryBuildRepository builds = new InMemoryBuildRepository();
    final InMemoryJobRepository jobs = new InMemoryJobRepository();
    final InMemoryAgentRepository agents = new InMemoryAgentRepository();
    final InMemoryCredentialStore credentials = new InMemoryCredentialStore();
    final InMemoryLogStore logs = new InMemoryLogStore();
    final InMemoryAuditLog audit = new InMemoryAuditLog();
    final RecordingEventPublisher events = new RecordingEventPublisher();
    final InMemoryDeploymentStore deployments = new InMemoryDeploymentStore();
    final String adminToken = Tokens.generate(TokenKind.JOB).reveal().replace("hcj_", "hcadmin_");
    final String registrationToken = Tokens.generate(TokenKind.REGISTRATION).reveal();
    final ApiHandler handler;

    ApiTestBed() {
        credentials.putRegistrationToken(new RegistrationToken("reg-1", Tokens.sha256Hex(registrationToken),
                "test", List.of(), START.minus(Duration.ofDays(1)), null, false));
        ApiConfig config = new ApiConfig(AgentApiSettings.withDefaults(Map.of("default", JOBS_DEFAULT_URL),
                Map.of("default", JOBS_DEFAULT_HIGH_URL), AGENT_UPDATES_URL, "us-east-1", null));
        handler = new ApiHandler(builds, jobs, agents, credentials, logs, audit, events,
                new StaticSecretSource(List.of("webhook-secret"), List.of(Tokens.sha256Hex(adminToken))), deployments,
                config, AdminPorts.from(credentials), clock);
    }

    /** Loads a fixture and sends it with {@code Authorization: Bearer <token>} (none when token is null). */
    Answer send(String fixture, String token) {
        return send(load(fixture), token);
    }

    Answer send(APIGatewayV2HTTPEvent event, String token) {
        Map<String, String> headers = new HashMap<>(event.getHeaders() == null ? Map.of() : event.getHeaders());
        if (token != null) {
            headers.put("authorization", "Bearer " + token);
        }
        event.setHeaders(headers);
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        return new Answer(response.getStatusCode(), response.getHeaders(), parse(response.getBody()));
    }

    /** Sends an event to some handler (AdminRoutesTest builds one with more ports). */
    @FunctionalInterface
    interface Sender {
        Answer send(APIGatewayV2HTTPEvent event);
    }

    /** Sends {@code event} with the bearer token to {@code other}, as {@link #send} does to the bed's handler. */
    static Answer answer(ApiHandler other, APIGatewayV2HTTPEvent event, String token) {
        Map<String, String> headers = new HashMap<>(event.getHeaders() == null ? Map.of() : event.getHeaders());
        headers.put("authorization", "Bearer " + token);
        event.setHeaders(headers);
        APIGatewayV2HTTPResponse response = other.handleRequest(event, null);
        return new Answer(response.getStatusCode(), response.getHeaders(), parse(response.getBody()));
    }

    static APIGatewayV2HTTPEvent load(String fixture) {
        return EventLoader.loadApiGatewayHttpEvent("events/apigw/" + fixture);
    }

    /** A fixture with its path replaced, for routes on ids made during the test. */
    static APIGatewayV2HTTPEvent withPath(String fixture, String path) {
        APIGatewayV2HTTPEvent event = load(fixture);
        event.setRawPath(path);
        event.getRequestContext().getHttp().setPath(path);
        return event;
    }

    /** A fixture with another body. */
    static APIGatewayV2HTTPEvent withBody(String fixture, String body) {
        APIGatewayV2HTTPEvent event = load(fixture);
        event.setBody(body);
        return event;
    }

    /** Registers an agent through the API and returns its session token. */
    String registerAgent() {
        Answer answer = send("register.json", registrationToken);
        if (answer.status() != 201) {
            throw new AssertionError("register failed: " + answer);
        }
        return answer.json().get("sessionToken").asText();
    }

    /** A push build {@link #BUILD_ID} with its QUEUED bootstrap job (the fixtures' job id). */
    Job givenBuildWithBootstrapJob() {
        Build build = Build.created(BUILD_ID, "acme/widgets", "https://github.com/acme/widgets.git", "main", null,
                "4f1c2d3e4f1c2d3e4f1c2d3e4f1c2d3e4f1c2d3e", "Fix the widget", "octocat", "octocat",
                BuildSource.PUSH, null, START, "github:octocat");
        builds.create(build);
        Job bootstrap = BootstrapBuilds.bootstrapJob(build, START, "system:build-planner");
        jobs.create(bootstrap);
        return bootstrap;
    }

    Job job(String id) {
        return jobs.find(id).orElseThrow();
    }

    static JsonNode parse(String body) {
        if (body == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("response body is not JSON: " + body, e);
        }
    }

    /** A response: status, headers and the parsed JSON body ({@code null} for none). */
    record Answer(int status, Map<String, String> headers, JsonNode json) {
        String error() {
            return json.get("error").asText();
        }
    }

    /** A clock the test moves forward. */
    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant start) {
            now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
