package io.hybridci.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildIds;
import io.hybridci.core.build.BuildState;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobIds;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobState;
import io.hybridci.core.port.inmemory.InMemoryBuildRepository;
import io.hybridci.core.port.inmemory.InMemoryJobRepository;
import io.hybridci.schema.InvalidPayloadException;
import io.hybridci.schema.SchemaNames;
import io.hybridci.schema.SchemaValidator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The handler on EventBridge envelopes as the github-push, github-pull-request and pipeline-uploaded rules deliver them. */
class BuildPlannerHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The delivery of events-schema's github-push example, which push.json carries. */
    private static final String PUSH_DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
    private static final String BUILD_ID = BuildIds.of(PUSH_DELIVERY);

    private final InMemoryBuildRepository builds = new InMemoryBuildRepository();
    private final InMemoryJobRepository jobs = new InMemoryJobRepository();
    private final BuildPlannerHandler handler = new BuildPlannerHandler(builds, jobs,
            Clock.fixed(Instant.parse("2025-03-01T12:00:02Z"), ZoneOffset.UTC));

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = BuildPlannerHandlerTest.class.getResourceAsStream("/events/eventbridge/" + name + ".json")) {
            return in.readAllBytes();
        }
    }

    private JsonNode deliver(byte[] envelope) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(envelope), out, null);
        return JSON.readTree(out.toByteArray());
    }

    private JsonNode deliver(String name) throws IOException {
        return deliver(fixture(name));
    }

    private Job job(String key) {
        return jobs.find(JobIds.of(BUILD_ID, key, 1)).orElseThrow(() -> new AssertionError("no job " + key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"push", "push-deleted-branch", "pull_request-opened", "pull_request-closed", "pipeline-uploaded"})
    void shouldBeAValidEnvelope_whenAnyFixtureIsRead(String name) throws IOException {
        assertEquals(List.of(), SchemaValidator.shared()
                .validate(SchemaNames.EVENTBRIDGE_ENVELOPE, new String(fixture(name), StandardCharsets.UTF_8)).errors());
    }

    @Test
    void shouldCreateABuildAndItsQueuedBootstrapJob_whenAPushArrives() throws IOException {
        JsonNode summary = deliver("push");

        Build build = builds.find(BUILD_ID).orElseThrow();
        assertEquals(BuildState.CREATED, build.state());
        assertEquals("9f2c1e0b7d4a5c3e8f1b2a6d0c9e7f4a3b5d1c2e", build.commit());
        Job bootstrap = job("bootstrap");
        assertEquals(JobKind.BOOTSTRAP, bootstrap.kind());
        assertEquals(JobState.QUEUED, bootstrap.state());
        assertEquals("default", bootstrap.queue());
        assertEquals(bootstrap.id(), summary.get("created").get(0).asText());
    }

    @Test
    void shouldCreateNothingNew_whenThePushIsDeliveredAgain() throws IOException {
        deliver("push");
        Build first = builds.find(BUILD_ID).orElseThrow();

        JsonNode summary = deliver("push");

        assertEquals(0, summary.get("created").size());
        assertEquals(1, jobs.jobsOfBuild(BUILD_ID).size());
        assertEquals(first, builds.find(BUILD_ID).orElseThrow());
    }

    @Test
    void shouldCreateNothing_whenABranchWasDeleted() throws IOException {
        JsonNode summary = deliver("push-deleted-branch");

        assertTrue(summary.has("nothingToBuild"));
        assertTrue(builds.listNewestFirst(10, Optional.empty()).items().isEmpty());
    }

    @Test
    void shouldCreateAPullRequestBuild_whenAPullRequestIsOpened() throws IOException {
        deliver("pull_request-opened");

        Build build = builds.find(BuildIds.of("c0ffee00-cc78-11e3-8a4e-4c9367dc0958")).orElseThrow();
        assertEquals(42, build.pullRequestNumber());
        assertEquals(1, jobs.jobsOfBuild(build.id()).size());
    }

    @Test
    void shouldCreateNothing_whenAPullRequestIsClosed() throws IOException {
        deliver("pull_request-closed");

        assertTrue(builds.find(BuildIds.of("c0ffee02-cc78-11e3-8a4e-4c9367dc0958")).isEmpty());
    }

    @Test
    void shouldCreateThePipelinesJobsWithTheirStatesAndDependencies_whenAPipelineIsUploaded() throws IOException {
        deliver("push");

        deliver("pipeline-uploaded");

        assertEquals(JobState.QUEUED, job("lint").state());
        Job test = job("test");
        assertEquals(JobState.QUEUED, test.state());
        assertEquals("linux", test.queue());
        assertEquals(20, test.timeoutInMinutes());
        assertEquals(5, test.priority());
        assertEquals(Map.of("MAVEN_OPTS", "-Xmx1g"), test.env());
        Job approve = job("approve");
        assertEquals(JobKind.BLOCK, approve.kind());
        assertEquals(JobState.PENDING, approve.state());
        assertEquals(List.of("lint", "test"), approve.dependsOn());
        Job deploy = job("deploy-prod");
        assertEquals(JobKind.DEPLOY, deploy.kind());
        assertEquals(JobState.PENDING, deploy.state());
        assertEquals(List.of("approve"), deploy.dependsOn());
        assertEquals("./scripts/deploy.sh", deploy.command());
        assertEquals(5, jobs.jobsOfBuild(BUILD_ID).size());
        assertEquals(4, builds.find(BUILD_ID).orElseThrow().pipelineSteps());
    }

    @Test
    void shouldCreateNoDuplicates_whenThePipelineUploadIsDeliveredAgain() throws IOException {
        deliver("push");
        deliver("pipeline-uploaded");
        List<Job> before = jobs.jobsOfBuild(BUILD_ID);

        JsonNode summary = deliver("pipeline-uploaded");

        assertEquals(0, summary.get("created").size());
        assertEquals(4, summary.get("existing").size());
        assertEquals(before, jobs.jobsOfBuild(BUILD_ID));
    }

    @Test
    void shouldThrowForARetry_whenThePipelineIsUploadedForAnUnknownBuild() {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> deliver("pipeline-uploaded"));

        assertTrue(error.getMessage().contains("unknown build " + BUILD_ID), error.getMessage());
        assertEquals(List.of(), jobs.jobsOfBuild(BUILD_ID));
    }

    @Test
    void shouldThrowNamingTheField_whenTheDetailDoesNotFitItsSchema() throws IOException {
        ObjectNode envelope = (ObjectNode) JSON.readTree(fixture("push"));
        ((ObjectNode) envelope.get("detail")).remove("after");

        InvalidPayloadException error = assertThrows(InvalidPayloadException.class,
                () -> deliver(JSON.writeValueAsBytes(envelope)));

        assertTrue(error.getMessage().contains("after"), error.getMessage());
        assertTrue(builds.find(BUILD_ID).isEmpty());
    }

    @Test
    void shouldThrow_whenNoRuleShouldHaveRoutedTheEventHere() throws IOException {
        ObjectNode envelope = (ObjectNode) JSON.readTree(fixture("push"));
        envelope.put("detail-type", "issues");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> deliver(JSON.writeValueAsBytes(envelope)));

        assertTrue(error.getMessage().contains("is not for the build-planner"), error.getMessage());
    }

    @Test
    void shouldThrowNamingTheMissingFields_whenTheInputIsNotAnEnvelope() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> deliver("{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8)));

        assertEquals("the input is not an EventBridge event, missing: source, detail-type, detail", error.getMessage());
    }
}
