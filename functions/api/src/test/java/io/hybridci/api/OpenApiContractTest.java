package io.hybridci.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import io.hybridci.core.audit.AuditChain;
import io.hybridci.core.audit.AuditRecord;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobTransitions;
import io.hybridci.core.port.LogStore.LogChunk;
import io.hybridci.api.ApiTestBed.Answer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

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
        assertEquals("3.1.0", document.get("openapi").asString());
        List<String> paths = names(document.get("paths"));
        for (String route : List.of("/api/v1/builds", "/api/v1/builds/{id}", "/api/v1/jobs/{id}", "/api/v1/jobs/{id}/log",
                "/api/v1/jobs/{id}/cancel", "/api/v1/jobs/{id}/retry", "/api/v1/jobs/{id}/approve", "/api/v1/jobs/{id}/reject", "/api/v1/audit/verify", "/api/v1/audit",
                "/api/v1/metrics")) {
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
        conforms("GET", "/api/v1/audit", "/api/v1/audit", Map.of("from", "yesterday"), 400);

        assertEquals(2, page.get("records").size());
        assertFalse(page.get("next").isNull(), "a second page follows");
        assertEquals(1, filtered.get("records").size());
        assertEquals(2, filtered.get("records").get(0).get("seq").asInt());
    }

    private JsonNode conforms(String method, String template, String path, Map<String, String> query, int status) {
        return conforms(method, template, path, query, status, bed.adminToken);
    }

    /** Sends the request, checks the status, and validates the body against the documented response schema. */
    private JsonNode conforms(String method, String template, String path, Map<String, String> query, int status, String token) {
        APIGatewayV2HTTPEvent event = ApiTestBed.withPath("audit-verify.json", path);
        event.getRequestContext().getHttp().setMethod(method);
        event.setQueryStringParameters(new HashMap<>(query));
        Answer answer = bed.send(event, token);
        assertEquals(status, answer.status(), () -> method + " " + path + " answered " + answer);
        JsonNode body = JSON.readTree(answer.json().toString());
        String pointer = "#/paths/" + template.replace("~", "~0").replace("/", "~1") + "/" + method.toLowerCase()
                + "/responses/" + status + "/content/application~1json/schema";
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
        Iterator<String> iterator = object.propertyNames().iterator();
        iterator.forEachRemaining(names::add);
        return names;
    }
}
