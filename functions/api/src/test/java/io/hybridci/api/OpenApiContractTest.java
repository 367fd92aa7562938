package io.hybridci.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import io.hybridci.core.agentapi.AgentApiSettings;
import io.hybridci.core.audit.AuditChain;
import io.hybridci.core.audit.AuditRecord;
import io.hybridci.core.deployment.Color;
import io.hybridci.core.deployment.Deployment;
import io.hybridci.core.deployment.DeploymentState;
import io.hybridci.core.deployment.Environment;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.pipeline.ConcurrencyLimit;
import io.hybridci.core.pipeline.DeployStep;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobTransitions;
import io.hybridci.core.port.LogStore.LogChunk;
import io.hybridci.core.port.inmemory.InMemorySecretVersions;
import io.hybridci.core.port.inmemory.StaticSecretSource;
import io.hybridci.core.security.Tokens;
import io.hybridci.topology.Topology;
import io.hybridci.api.ApiTestBed.Answer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static io.hybridci.api.ApiTestBed.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document ({@code events-schema/openapi/hybridci-api.json}) against real answers of
 * {@link ApiHandler} over the in-memory adapters: every answer's body is validated (networknt,
 * JSON Schema 2020-12, formats asserted) against the schema the document gives for that path,
 * method and status. A field added to a view without the document, or documented and missing,
 * fails here.
 */
class OpenApiContractTest {

    private static final Path DOCUMENT = Path.of(System.getProperty("basedir", "."))
            .resolve("../../events-schema/openapi/hybridci-api.json").normalize();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .formatAssertionsEnabled(true).pathType(PathType.JSON_PATH).build()));

    private ApiTestBed bed;
    private ObjectNode document;

    @BeforeEach
    void setUp() throws IOException {
        bed = new ApiTestBed();
        document = (ObjectNode) JSON.readTree(Files.readString(DOCUMENT));
    }

    @Test
    void shouldDeclareOpenApi31WithEveryUserRoute_whenTheDocumentIsRead() {
        assertEquals("3.1.0", document.get("openapi").asText());
        List<String> paths = names(document.get("paths"));
        for (String route : List.of("/api/v1/builds", "/api/v1/builds/{id}", "/api/v1/jobs/{id}", "/api/v1/jobs/{id}/log",
                "/api/v1/jobs/{id}/cancel", "/api/v1/jobs/{id}/retry", "/api/v1/jobs/{id}/approve", "/api/v1/jobs/{id}/reject", "/api/v1/audit/verify", "/api/v1/audit",
                "/api/v1/metrics", "/api/v1/dead-letters")) {
            assertTrue(paths.contains(route), "documented: " + route);
        }
    }

    @Test
    void shouldMatchTheDocument_whenBuildsJobsAndLogsAreRead() {
        Job job = bed.givenBuildWithBootstrapJob();
        bed.logs.append(new LogChunk(job.id(), 1, 0, "\u001b[32mhello\u001b[0m\n", START.plusSeconds(1)), START.plusSeconds(3600));

        conforms("GET", "/api/v1/builds", "/api/v1/builds", Map.of("limit", "1"), 200);
        conforms("GET", "/api/v1/builds/{id}", "/api/v1/builds/" + ApiTestBed.BUILD_ID, Map.of(), 200);
        conforms("GET", "/api/v1/jobs/{id}", "/api/v1/jobs/" + job.id(), Map.of(), 200);
        conforms("GET", "/api/v1/jobs/{id}/log", "/api/v1/jobs/" + job.id() + "/log", Map.of("after", "-1"), 200);
        conforms("GET", "/api/v1/builds/{id}", "/api/v1/builds/nope", Map.of(), 404);
        conforms("GET", "/api/v1/builds", "/api/v1/builds", Map.of("cursor", "forged"), 400);
        conforms("GET", "/api/v1/metrics", "/api/v1/metrics", Map.of(), 401, null);
    }

    @Test
    void shouldMatchTheDocument_whenJobsAreCanceledAndRetried() {
        Job job = bed.givenBuildWithBootstrapJob();
        conforms("POST", "/api/v1/jobs/{id}/cancel", "/api/v1/jobs/" + job.id() + "/cancel", Map.of(), 200);
        conforms("POST", "/api/v1/jobs/{id}/cancel", "/api/v1/jobs/" + job.id() + "/cancel", Map.of(), 200);
        conforms("POST", "/api/v1/jobs/{id}/retry", "/api/v1/jobs/" + job.id() + "/retry", Map.of(), 201);
        conforms("POST", "/api/v1/jobs/{id}/retry", "/api/v1/jobs/" + job.id() + "/retry", Map.of(), 409);
    }

    @Test
    void shouldMatchTheDocument_whenMetricsHaveQueuesAndFinishedJobs() {
        Job job = bed.givenBuildWithBootstrapJob();
        Job assigned = JobTransitions.apply(job, new JobEvent.Accept("agent-1", START.plusSeconds(4))).orElseThrow();
        Job running = JobTransitions.apply(assigned, new JobEvent.Start("agent-1", START.plusSeconds(5))).orElseThrow();
        Job passed = JobTransitions.apply(running, new JobEvent.Finish("agent-1", 0, null, START.plusSeconds(65))).orElseThrow();
        bed.jobs.update(passed, job.version());
        bed.clock.advance(Duration.ofMinutes(5));

        JsonNode metrics = conforms("GET", "/api/v1/metrics", "/api/v1/metrics", Map.of("hours", "1"), 200);

        assertEquals(1, metrics.get("totals").get("passed").asInt());
        assertEquals(60_000, metrics.get("totals").get("durationP50Millis").asLong());
        conforms("GET", "/api/v1/metrics", "/api/v1/metrics", Map.of("hours", "49"), 400);
    }

    @Test
    void shouldMatchTheDocument_whenTheAuditTrailIsListedAndVerified() {
        AuditRecord previous = null;
        for (int i = 0; i < 3; i++) {
            previous = AuditChain.next(previous, "job:j1", START.plusSeconds(i), i == 1 ? "user:admin" : "system:test",
                    "job:j1", "MODIFY", i == 0 ? JsonNodeFactory.instance.nullNode() : JsonNodeFactory.instance.objectNode().put("state", "QUEUED"),
                    JsonNodeFactory.instance.objectNode().put("state", "RUNNING"));
            bed.audit.append(previous, "event-" + i);
        }

        JsonNode page = conforms("GET", "/api/v1/audit", "/api/v1/audit", Map.of("limit", "2"), 200);
        JsonNode filtered = conforms("GET", "/api/v1/audit", "/api/v1/audit", Map.of("actor", "user:admin"), 200);
        conforms("GET", "/api/v1/audit/verify", "/api/v1/audit/verify", Map.of(), 200);
        conforms("GET", "/api/v1/audit/verify", "/api/v1/audit/verify", Map.of("cursor", "forged"), 400);
        conforms("GET", "/api/v1/audit", "/api/v1/audit", Map.of("from", "yesterday"), 400);

        assertEquals(2, page.get("records").size());
        assertFalse(page.get("next").isNull(), "a second page follows");
        assertEquals(1, filtered.get("records").size());
        assertEquals(2, filtered.get("records").get(0).get("seq").asInt());
    }

    @Test
    void shouldDeclareEveryAdminRoute_whenTheDocumentIsRead() {
        Map<String, List<String>> routes = Map.of(
                "/api/v1/agents", List.of("get"),
                "/api/v1/agents/{id}", List.of("get", "delete"),
                "/api/v1/agents/{id}/pause", List.of("post"),
                "/api/v1/agents/{id}/resume", List.of("post"),
                "/api/v1/agents/{id}/drain", List.of("post"),
                "/api/v1/registration-tokens", List.of("get", "post"),
                "/api/v1/registration-tokens/{id}", List.of("delete"),
                "/api/v1/secrets/{name}", List.of("get"),
                "/api/v1/secrets/{name}/rotate", List.of("post"),
                "/api/v1/secrets/{name}/finish", List.of("post"));
        routes.forEach((route, methods) -> methods.forEach(method -> assertTrue(
                document.get("paths").has(route) && document.get("paths").get(route).has(method), "documented: " + method + " " + route)));
    }

    @Test
    void shouldMatchTheDocument_whenAgentsAreListedShownCommandedAndRemoved() {
        bed.registerAgent();
        bed.registerAgent();
        ApiHandler handler = bed.handler;

        JsonNode page = conforms(handler, "GET", "/api/v1/agents", "/api/v1/agents", Map.of("limit", "1"), null, 200);
        String id = page.get("agents").get(0).get("id").asText();
        conforms(handler, "GET", "/api/v1/agents", "/api/v1/agents", Map.of("cursor", page.get("next").asText()), null, 200);
        conforms(handler, "GET", "/api/v1/agents/{id}", "/api/v1/agents/" + id, Map.of(), null, 200);
        JsonNode paused = conforms(handler, "POST", "/api/v1/agents/{id}/pause", "/api/v1/agents/" + id + "/pause", Map.of(), "", 200);
        conforms(handler, "POST", "/api/v1/agents/{id}/resume", "/api/v1/agents/" + id + "/resume", Map.of(), "", 200);
        JsonNode draining = conforms(handler, "POST", "/api/v1/agents/{id}/drain", "/api/v1/agents/" + id + "/drain", Map.of(), "", 200);
        conforms(handler, "POST", "/api/v1/agents/{id}/pause", "/api/v1/agents/" + id + "/pause", Map.of(), "", 409);
        conforms(handler, "POST", "/api/v1/agents/{id}/resume", "/api/v1/agents/" + id + "/resume", Map.of(), "", 409);
        JsonNode removed = conforms(handler, "DELETE", "/api/v1/agents/{id}", "/api/v1/agents/" + id, Map.of(), null, 200);

        assertEquals("PAUSED", paused.get("state").asText());
        assertEquals("DRAINING", draining.get("state").asText());
        assertEquals("DISCONNECTED", removed.get("state").asText());
        conforms(handler, "GET", "/api/v1/agents", "/api/v1/agents", Map.of("cursor", "forged"), null, 400);
        conforms(handler, "GET", "/api/v1/agents", "/api/v1/agents", Map.of("limit", "101"), null, 400);
        conforms(handler, "GET", "/api/v1/agents/{id}", "/api/v1/agents/nobody", Map.of(), null, 404);
        conforms(handler, "GET", "/api/v1/agents/{id}", "/api/v1/agents/bad!id", Map.of(), null, 400);
        conforms(handler, "POST", "/api/v1/agents/{id}/drain", "/api/v1/agents/nobody/drain", Map.of(), "", 404);
        conforms(handler, "DELETE", "/api/v1/agents/{id}", "/api/v1/agents/nobody", Map.of(), null, 404);
        conforms("GET", "/api/v1/agents", "/api/v1/agents", Map.of(), 401, null);
        conforms("POST", "/api/v1/agents/{id}/pause", "/api/v1/agents/" + id + "/pause", Map.of(), 401, "hcadmin_wrong");
    }

    @Test
    void shouldMatchTheDocument_whenRegistrationTokensAreCreatedListedAndRevoked() {
        ApiHandler handler = bed.handler;

        JsonNode created = conforms(handler, "POST", "/api/v1/registration-tokens", "/api/v1/registration-tokens", Map.of(),
                "{\"description\":\"fleet\",\"allowedQueues\":[\"default\"],\"expiresAt\":\"2030-01-01T00:00:00Z\"}", 201);
        conforms(handler, "POST", "/api/v1/registration-tokens", "/api/v1/registration-tokens", Map.of(), "{}", 201);
        JsonNode listed = conforms(handler, "GET", "/api/v1/registration-tokens", "/api/v1/registration-tokens",
                Map.of("limit", "2"), null, 200);
        conforms(handler, "DELETE", "/api/v1/registration-tokens/{id}", "/api/v1/registration-tokens/" + created.get("id").asText(),
                Map.of(), null, 204);

        assertTrue(created.get("token").asText().startsWith("hcr_"));
        assertEquals(2, listed.get("registrationTokens").size());
        assertFalse(listed.toString().contains(created.get("token").asText()), "the list never carries a value");
        conforms(handler, "POST", "/api/v1/registration-tokens", "/api/v1/registration-tokens", Map.of(),
                "{\"allowedQueues\":[\"gpu\"]}", 400);
        conforms(handler, "POST", "/api/v1/registration-tokens", "/api/v1/registration-tokens", Map.of(),
                "{\"expiresAt\":\"tomorrow\"}", 400);
        conforms(handler, "GET", "/api/v1/registration-tokens", "/api/v1/registration-tokens", Map.of("cursor", "forged"), null, 400);
        conforms(handler, "DELETE", "/api/v1/registration-tokens/{id}", "/api/v1/registration-tokens/nope", Map.of(), null, 404);
        conforms("POST", "/api/v1/registration-tokens", "/api/v1/registration-tokens", Map.of(), 401, null);
        conforms("DELETE", "/api/v1/registration-tokens/{id}", "/api/v1/registration-tokens/nope", Map.of(), 401, "hcadmin_wrong");
    }

    @Test
    void shouldMatchTheDocument_whenTheWebhookSecretIsRotatedAndFinished() {
        InMemorySecretVersions versions = new InMemorySecretVersions(bed.clock);
        versions.create(Topology.WEBHOOK_SECRET, "v-1", "old-webhook-secret-0123456789abcdef0123");
        ApiHandler handler = handlerWith(versions);

        JsonNode before = conforms(handler, "GET", "/api/v1/secrets/{name}", "/api/v1/secrets/github-webhook", Map.of(), null, 200);
        JsonNode rotated = conforms(handler, "POST", "/api/v1/secrets/{name}/rotate", "/api/v1/secrets/github-webhook/rotate",
                Map.of(), "", 200);
        JsonNode again = conforms(handler, "POST", "/api/v1/secrets/{name}/rotate", "/api/v1/secrets/github-webhook/rotate",
                Map.of(), "", 200);
        JsonNode pending = conforms(handler, "GET", "/api/v1/secrets/{name}", "/api/v1/secrets/github-webhook", Map.of(), null, 200);
        JsonNode finished = conforms(handler, "POST", "/api/v1/secrets/{name}/finish", "/api/v1/secrets/github-webhook/finish",
                Map.of(), "", 200);
        JsonNode nothing = conforms(handler, "POST", "/api/v1/secrets/{name}/finish", "/api/v1/secrets/github-webhook/finish",
                Map.of(), "", 200);

        assertTrue(before.get("pendingVersionId").isNull());
        assertTrue(again.get("alreadyPending").asBoolean());
        assertEquals(rotated.get("versionId").asText(), pending.get("pendingVersionId").asText());
        assertFalse(pending.toString().contains(rotated.get("value").asText()), "the status never carries the value");
        assertTrue(finished.get("finished").asBoolean());
        assertFalse(nothing.get("finished").asBoolean());
        conforms(handler, "POST", "/api/v1/secrets/{name}/rotate", "/api/v1/secrets/admin-token/rotate", Map.of(), "", 404);
        conforms(handler, "GET", "/api/v1/secrets/{name}", "/api/v1/secrets/admin-token", Map.of(), null, 404);
        conforms("POST", "/api/v1/secrets/{name}/finish", "/api/v1/secrets/github-webhook/finish", Map.of(), 401, null);
    }

    @Test
    void shouldMatchTheDocument_whenRotationFailsOrIsNotConfigured() {
        ApiHandler withoutTheSecret = handlerWith(new InMemorySecretVersions(bed.clock));

        conforms(withoutTheSecret, "POST", "/api/v1/secrets/{name}/rotate", "/api/v1/secrets/github-webhook/rotate", Map.of(), "", 409);
        conforms(withoutTheSecret, "POST", "/api/v1/secrets/{name}/finish", "/api/v1/secrets/github-webhook/finish", Map.of(), "", 409);
        conforms(bed.handler, "GET", "/api/v1/secrets/{name}", "/api/v1/secrets/github-webhook", Map.of(), null, 503);
        conforms(bed.handler, "POST", "/api/v1/secrets/{name}/rotate", "/api/v1/secrets/github-webhook/rotate", Map.of(), "", 503);
        conforms(bed.handler, "POST", "/api/v1/secrets/{name}/finish", "/api/v1/secrets/github-webhook/finish", Map.of(), "", 503);
    }

    @Test
    void shouldDeclareAndMatchTheEnvironmentRoutes_whenEnvironmentsAreSavedShownAndRolledBack() {
        for (String route : List.of("/api/v1/environments", "/api/v1/environments/{name}",
                "/api/v1/environments/{name}/rollback")) {
            assertTrue(document.get("paths").has(route), "documented: " + route);
        }
        ApiHandler handler = bed.handler;
        JsonNode created = conforms(handler, "PUT", "/api/v1/environments/{name}", "/api/v1/environments/production",
                Map.of(), "{\"requireApproval\":true,\"allowedBranches\":[\"main\",\"release/*\"],\"allowedRoles\":[\"admin\"]}",
                201);
        conforms(handler, "PUT", "/api/v1/environments/{name}", "/api/v1/environments/production", Map.of(),
                "{\"requireApproval\":true,\"allowedBranches\":[\"main\",\"release/*\"],\"allowedRoles\":[\"admin\"]}", 200);
        conforms(handler, "PUT", "/api/v1/environments/{name}", "/api/v1/environments/Prod!", Map.of(), "{}", 400);
        conforms(handler, "PUT", "/api/v1/environments/{name}", "/api/v1/environments/production", Map.of(),
                "{\"allowedRoles\":[\"root\"]}", 400);
        conforms(handler, "PUT", "/api/v1/environments/{name}", "/api/v1/environments/production", Map.of(),
                "{\"colour\":\"blue\"}", 400);
        conforms(handler, "POST", "/api/v1/environments/{name}/rollback", "/api/v1/environments/production/rollback",
                Map.of(), "", 409);
        conforms(handler, "POST", "/api/v1/environments/{name}/rollback", "/api/v1/environments/staging/rollback",
                Map.of(), "", 404);
        givenTwoLiveDeployments("staging");

        JsonNode listed = conforms(handler, "GET", "/api/v1/environments", "/api/v1/environments", Map.of(), null, 200);
        JsonNode shown = conforms(handler, "GET", "/api/v1/environments/{name}", "/api/v1/environments/staging",
                Map.of("limit", "1"), null, 200);
        conforms(handler, "GET", "/api/v1/environments/{name}", "/api/v1/environments/staging",
                Map.of("cursor", shown.get("next").asText()), null, 200);
        conforms(handler, "GET", "/api/v1/environments/{name}", "/api/v1/environments/staging", Map.of("limit", "0"),
                null, 400);
        conforms(handler, "GET", "/api/v1/environments/{name}", "/api/v1/environments/nowhere", Map.of(), null, 404);
        JsonNode rollback = conforms(handler, "POST", "/api/v1/environments/{name}/rollback",
                "/api/v1/environments/staging/rollback", Map.of(), "", 202);
        conforms("GET", "/api/v1/environments", "/api/v1/environments", Map.of(), 401, null);

        assertTrue(created.get("environment").get("protection").get("requireApproval").asBoolean());
        assertEquals(List.of("production", "staging"), listed.get("environments").findValuesAsText("name"));
        assertEquals("green", shown.get("environment").get("liveColor").asText());
        assertEquals("LIVE", shown.get("deployments").get(0).get("state").asText());
        assertEquals("blue", rollback.get("deployment").get("color").asText());
        assertEquals("./switch.sh", bed.jobs.find(rollback.get("job").get("id").asText()).orElseThrow().command());
    }

    @Test
    void shouldMatchTheDocument_whenDeadLettersAreListed() {
        io.hybridci.core.port.inmemory.InMemoryDeadLetterReader reader = new io.hybridci.core.port.inmemory.InMemoryDeadLetterReader()
                .queue("jobs-default-dlq").queue("agent-updates-dlq").queue("bus-targets-dlq")
                .add("bus-targets-dlq", DeadLetterRoutesTest.busPoison())
                .add("jobs-default-dlq", new io.hybridci.core.port.DeadLetterReader.RawMessage("m-big", null, 5, Map.of(),
                        "x".repeat(5000)));
        ApiHandler handler = DeadLetterRoutesTest.handlerWith(bed, reader);

        JsonNode all = conforms(handler, "GET", "/api/v1/dead-letters", "/api/v1/dead-letters", Map.of(), null, 200);
        conforms(handler, "GET", "/api/v1/dead-letters", "/api/v1/dead-letters", Map.of("queue", "bus-targets-dlq", "limit", "1"),
                null, 200);
        JsonNode unknown = conforms(handler, "GET", "/api/v1/dead-letters", "/api/v1/dead-letters", Map.of("queue", "nope"), null, 400);
        conforms(handler, "GET", "/api/v1/dead-letters", "/api/v1/dead-letters", Map.of("limit", "11"), null, 400);
        conforms("GET", "/api/v1/dead-letters", "/api/v1/dead-letters", Map.of(), 503);
        conforms("GET", "/api/v1/dead-letters", "/api/v1/dead-letters", Map.of(), 401, null);

        assertEquals(3, all.get("queues").size());
        assertTrue(all.get("queues").get(0).get("messages").get(0).get("bodyTruncated").asBoolean());
        assertTrue(unknown.get("message").asText().contains("parameter \"queue\""));
    }

    /** Two deploy jobs of environment {@code name}: the first went live on blue, the second on green. */
    private void givenTwoLiveDeployments(String name) {
        Deployment first = liveDeployment(name, "build-a", '1', Color.BLUE, null, DeploymentState.SUPERSEDED);
        Deployment second = liveDeployment(name, "build-b", '2', Color.GREEN, first.id(), DeploymentState.LIVE);
        Environment environment = Environment.created(name, Environment.Protection.NONE, START, "system:state-reactor");
        bed.deployments.createEnvironment(environment.withLive(second, first.id(), START.plusSeconds(5),
                "system:state-reactor"));
    }

    private Deployment liveDeployment(String environment, String buildId, char digit, Color color, String replaces,
                                      DeploymentState state) {
        DeployStep step = new DeployStep("ship", "Ship", "./deploy.sh",
                new DeployStep.Deployment(environment, DeployStep.Strategy.BLUE_GREEN, Optional.of("./health.sh"),
                        Optional.of("./switch.sh"), Optional.empty()),
                "default", List.of(), OptionalInt.empty(), Map.of(),
                new ConcurrencyLimit(DeployStep.defaultConcurrencyGroup(environment), 1), Optional.empty());
        Job job = Job.planned(buildId, "ship", "Ship", JobKind.DEPLOY, "default", 0, List.of(), "./deploy.sh", Map.of(),
                10, RetryPolicy.DEFAULT, START, "system:build-planner").toBuilder().step(step).build();
        bed.jobs.create(job);
        Deployment deployment = new Deployment(job.id(), environment, String.valueOf(digit).repeat(40), color, buildId,
                job.id(), state, false, null, null, START, START.plusSeconds(1), START.plusSeconds(2), null, 4,
                START.plusSeconds(2), "agent:a-1", replaces, null);
        bed.deployments.createDeployment(deployment);
        return deployment;
    }

    /** The bed's adapters with secret rotation over {@code versions} (as AdminRoutesTest wires it). */
    private ApiHandler handlerWith(InMemorySecretVersions versions) {
        return new ApiHandler(bed.builds, bed.jobs, bed.agents, bed.credentials, bed.logs, bed.audit,
                bed.events, new StaticSecretSource(List.of(), List.of(Tokens.sha256Hex(bed.adminToken))),
                new ApiConfig(AgentApiSettings.withDefaults(Map.of("default", ApiTestBed.JOBS_DEFAULT_URL),
                        ApiTestBed.AGENT_UPDATES_URL, "us-east-1", null)),
                new AdminPorts(Optional.of(bed.credentials), Optional.of(versions), Duration.ofHours(2)), bed.clock);
    }

    private JsonNode conforms(String method, String template, String path, Map<String, String> query, int status) {
        return conforms(method, template, path, query, status, bed.adminToken);
    }

    /** Sends the request, checks the status, and validates the body against the documented response schema. */
    private JsonNode conforms(String method, String template, String path, Map<String, String> query, int status, String token) {
        APIGatewayV2HTTPEvent event = ApiTestBed.withPath("audit-verify.json", path);
        event.getRequestContext().getHttp().setMethod(method);
        event.setQueryStringParameters(new HashMap<>(query));
        return matches(method, template, status, bed.send(event, token));
    }

    /** An admin request with a body (null for none) to {@code handler}, validated as {@link #conforms} does. */
    private JsonNode conforms(ApiHandler handler, String method, String template, String path, Map<String, String> query,
                              String body, int status) {
        APIGatewayV2HTTPEvent event = ApiTestBed.withPath("manual-build.json", path);
        event.getRequestContext().getHttp().setMethod(method);
        event.setQueryStringParameters(new HashMap<>(query));
        event.setBody(body);
        event.setIsBase64Encoded(false);
        return matches(method, template, status, ApiTestBed.answer(handler, event, bed.adminToken));
    }

    /**
     * Checks the status and validates the body against the schema documented for it; a documented answer
     * without content (204) must have no body.
     */
    private JsonNode matches(String method, String template, int status, Answer answer) {
        assertEquals(status, answer.status(), () -> method + " " + template + " answered " + answer);
        String operation = "#/paths/" + template.replace("~", "~0").replace("/", "~1") + "/" + method.toLowerCase()
                + "/responses/" + status;
        JsonNode documented = document.at(operation.substring(1));
        assertFalse(documented.isMissingNode(), () -> operation + " is not documented");
        if (!documented.has("content")) {
            assertTrue(answer.json() == null, () -> operation + " documents no body, answered " + answer.json());
            return null;
        }
        JsonNode body = answer.json();
        String pointer = operation + "/content/application~1json/schema";
        ObjectNode root = document.deepCopy();
        root.put("$ref", pointer);
        Schema schema = REGISTRY.getSchema(root);
        List<Error> errors = schema.validate(body);
        assertTrue(errors.isEmpty(), () -> method + " " + template + " " + status + " does not match " + pointer + ": "
                + errors.stream().map(error -> error.getInstanceLocation() + " " + error.getMessage()).toList() + "\n" + body);
        return body;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        Iterator<String> iterator = object.fieldNames();
        iterator.forEachRemaining(names::add);
        return names;
    }
}
