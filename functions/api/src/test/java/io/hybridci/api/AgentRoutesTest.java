package io.hybridci.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.api.ApiTestBed.Answer;
import io.hybridci.core.agent.AgentEvent;
import io.hybridci.core.agent.AgentTransitions;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.JobTransitions;
import io.hybridci.core.pipeline.ParseResult;
import io.hybridci.core.pipeline.PipelineError;
import io.hybridci.core.pipeline.PipelineParser;
import io.hybridci.core.port.EventPublisher.BusEvent;
import io.hybridci.core.port.RegistrationToken;
import io.hybridci.core.security.TokenKind;
import io.hybridci.core.security.Tokens;
import io.hybridci.schema.SchemaNames;
import io.hybridci.schema.SchemaValidator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.hybridci.api.ApiTestBed.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentRoutesTest {

    private final ApiTestBed bed = new ApiTestBed();

    @Test
    void shouldRegisterAgentWithSessionAndQueueUrls_whenRegistrationTokenIsValid() {
        Answer answer = bed.send("register.json", bed.registrationToken);

        assertEquals(201, answer.status());
        JsonNode body = answer.json();
        String sessionToken = body.get("sessionToken").asText();
        assertTrue(sessionToken.startsWith("hca_"), sessionToken);
        assertEquals(START.plus(Duration.ofHours(24)).toString(), body.get("sessionExpiresAt").asText());
        assertEquals(32, java.util.Base64.getDecoder().decode(body.get("signingKey").asText()).length);
        assertEquals("default", body.get("queues").get(0).get("name").asText());
        assertEquals(ApiTestBed.JOBS_DEFAULT_URL, body.get("queues").get(0).get("url").asText());
        assertEquals(List.of(ApiTestBed.JOBS_DEFAULT_HIGH_URL, ApiTestBed.JOBS_DEFAULT_URL),
                java.util.stream.StreamSupport.stream(body.get("queues").get(0).get("urls").spliterator(), false)
                        .map(JsonNode::asText).toList(), "highest priority first");
        assertEquals(ApiTestBed.AGENT_UPDATES_URL, body.get("agentUpdatesQueueUrl").asText());
        assertEquals(10, body.get("pingIntervalSeconds").asInt());
        assertEquals(20, body.get("jobPollWaitSeconds").asInt());
        assertFalse(body.has("sqsEndpoint"), "sqsEndpoint is only sent in local mode");
        // Only the hash is stored, and it leads back to the new agent.
        String agentId = body.get("agentId").asText();
        assertEquals(agentId, bed.credentials.sessionByHash(Tokens.sha256Hex(sessionToken)).orElseThrow().agentId());
        assertEquals("build-box-1", bed.agents.find(agentId).orElseThrow().name());
    }

    @Test
    void shouldAnswer401_whenRegistrationTokenIsUnknown() {
        Answer answer = bed.send("register.json", Tokens.generate(TokenKind.REGISTRATION).reveal());

        assertEquals(401, answer.status());
        assertEquals("unauthorized", answer.error());
        assertTrue(bed.agents.liveAgents().isEmpty());
    }

    @Test
    void shouldAnswer401_whenRegistrationTokenExpired() {
        String expired = Tokens.generate(TokenKind.REGISTRATION).reveal();
        bed.credentials.putRegistrationToken(new RegistrationToken("reg-old", Tokens.sha256Hex(expired), "old",
                List.of(), START.minus(Duration.ofDays(30)), START.minusSeconds(1), false));

        assertEquals(401, bed.send("register.json", expired).status());
    }

    @Test
    void shouldAnswer401_whenRegistrationTokenRevoked() {
        String revoked = Tokens.generate(TokenKind.REGISTRATION).reveal();
        bed.credentials.putRegistrationToken(new RegistrationToken("reg-revoked", Tokens.sha256Hex(revoked), "gone",
                List.of(), START.minus(Duration.ofDays(1)), null, true));

        assertEquals(401, bed.send("register.json", revoked).status());
    }

    @Test
    void shouldAnswer401_whenRegisteringWithASessionToken() {
        String session = bed.registerAgent();

        assertEquals(401, bed.send("register.json", session).status());
    }

    @Test
    void shouldAnswer400NamingTheQueue_whenQueueIsUnknown() {
        Answer answer = bed.send("register-unknown-queue.json", bed.registrationToken);

        assertEquals(400, answer.status());
        assertEquals("unknown_queue", answer.error());
        assertTrue(answer.json().get("message").asText().contains("gpu"), answer.json().toString());
    }

    @Test
    void shouldAnswer400NamingTheField_whenNameIsMissing() {
        Answer answer = bed.send("register-missing-name.json", bed.registrationToken);

        assertEquals(400, answer.status());
        assertEquals("bad_request", answer.error());
        assertTrue(answer.json().get("message").asText().contains("\"name\""), answer.json().toString());
    }

    @Test
    void shouldAnswer400_whenBodyIsMalformedJson() {
        Answer answer = bed.send("register-malformed.json", bed.registrationToken);

        assertEquals(400, answer.status());
        assertTrue(answer.json().get("message").asText().startsWith("malformed JSON"), answer.json().toString());
    }

    @Test
    void shouldAnswerFromARead_whenPingedAgainWithinTheHeartbeatResolution() {
        String session = bed.registerAgent();
        bed.clock.advance(AgentTransitions.HEARTBEAT_RESOLUTION);
        assertEquals(200, bed.send("ping.json", session).status());
        long version = bed.agents.liveAgents().getFirst().version();
        Instant recorded = bed.agents.liveAgents().getFirst().lastSeenAt();

        bed.clock.advance(Duration.ofSeconds(10));
        Answer again = bed.send("ping.json", session);

        assertEquals(200, again.status());
        assertEquals(0, again.json().get("directives").size());
        assertEquals(version, bed.agents.liveAgents().getFirst().version(), "nothing written: no stream record, no audit record");
        assertEquals(recorded, bed.agents.liveAgents().getFirst().lastSeenAt());
    }

    @Test
    void shouldAnswerNoDirectives_whenAgentIsIdleAndSessionFresh() {
        String session = bed.registerAgent();
        bed.clock.advance(AgentTransitions.HEARTBEAT_RESOLUTION);

        Answer answer = bed.send("ping.json", session);

        assertEquals(200, answer.status());
        assertEquals(0, answer.json().get("directives").size());
        assertEquals(10, answer.json().get("pingIntervalSeconds").asInt());
        assertEquals(bed.clock.instant(), bed.agents.liveAgents().getFirst().lastSeenAt());
    }

    @Test
    void shouldRenewSession_whenThreeQuartersOfItsLifetimeHavePassed() {
        String session = bed.registerAgent();
        bed.clock.advance(Duration.ofHours(17));
        assertEquals(0, bed.send("ping.json", session).json().get("directives").size(), "17 h is below 75 %");

        bed.clock.advance(Duration.ofHours(1));
        JsonNode directives = bed.send("ping.json", session).json().get("directives");

        assertEquals(1, directives.size());
        JsonNode renewal = directives.get(0);
        assertEquals("session", renewal.get("type").asText());
        String renewed = renewal.get("sessionToken").asText();
        assertNotEquals(session, renewed);
        assertEquals(START.plus(Duration.ofHours(18 + 24)).toString(), renewal.get("sessionExpiresAt").asText());
        bed.clock.advance(Duration.ofHours(7));
        assertEquals(401, bed.send("ping.json", session).status(), "the old session expires at 24 h");
        assertEquals(200, bed.send("ping.json", renewed).status());
    }

    @Test
    void shouldAnswer401_whenSessionExpired() {
        String session = bed.registerAgent();
        bed.clock.advance(Duration.ofHours(24));

        Answer answer = bed.send("ping.json", session);

        assertEquals(401, answer.status());
        assertEquals("unauthorized", answer.error());
    }

    @Test
    void shouldDirectCancel_whenTheAgentsJobIsBeingCanceled() {
        Job job = bed.givenBuildWithBootstrapJob();
        String session = bed.registerAgent();
        assertEquals(200, bed.send("accept.json", session).status());
        assertEquals(200, bed.send("cancel.json", bed.adminToken).status());
        assertEquals(JobState.CANCELING, bed.job(job.id()).state());
        bed.clock.advance(Duration.ofSeconds(10));

        JsonNode directives = bed.send("ping-with-job.json", session).json().get("directives");

        assertEquals(1, directives.size());
        assertEquals("cancel", directives.get(0).get("type").asText());
        assertEquals(job.id(), directives.get(0).get("jobId").asText());
    }

    @Test
    void shouldDirectDrain_whenAgentIsDraining() {
        String session = bed.registerAgent();
        var agent = bed.agents.liveAgents().getFirst();
        bed.agents.update(AgentTransitions.apply(agent, new AgentEvent.Drain(START, "user:admin")).orElseThrow(),
                agent.version());
        bed.clock.advance(Duration.ofSeconds(10));

        JsonNode directives = bed.send("ping.json", session).json().get("directives");

        assertEquals(1, directives.size());
        assertEquals("drain", directives.get(0).get("type").asText());
    }

    @Test
    void shouldLetExactlyOneAgentWin_whenTwoAcceptTheSameJob() {
        Job job = bed.givenBuildWithBootstrapJob();
        String first = bed.registerAgent();
        String second = bed.registerAgent();

        Answer won = bed.send("accept.json", first);
        Answer lost = bed.send("accept.json", second);

        assertEquals(200, won.status());
        assertEquals(409, lost.status());
        assertEquals("conflict", lost.error());
        String winner = bed.credentials.sessionByHash(Tokens.sha256Hex(first)).orElseThrow().agentId();
        assertEquals(winner, bed.job(job.id()).agentId());
        assertEquals(JobState.ASSIGNED, bed.job(job.id()).state());
        assertEquals(job.id(), bed.agents.find(winner).orElseThrow().currentJobId());
    }

    @Test
    void shouldAnswerTheSameJob_whenTheHoldingAgentAcceptsAgain() {
        Job job = bed.givenBuildWithBootstrapJob();
        String session = bed.registerAgent();

        Answer first = bed.send("accept.json", session);
        Answer again = bed.send("accept.json", session);

        assertEquals(200, first.status());
        assertEquals(200, again.status());
        assertEquals(first.json(), again.json());
        JsonNode toRun = again.json().get("job");
        assertEquals(job.id(), toRun.get("id").asText());
        assertEquals("BOOTSTRAP", toRun.get("kind").asText());
        assertEquals("acme/widgets", toRun.get("repository").get("fullName").asText());
        assertEquals("https://github.com/acme/widgets.git", toRun.get("repository").get("cloneUrl").asText());
        assertEquals("main", toRun.get("branch").asText());
        assertEquals(2, bed.job(job.id()).version(), "the second accept wrote nothing");
    }

    @Test
    void shouldAnswer409_whenTheJobWasCanceledBeforeAccept() {
        bed.givenBuildWithBootstrapJob();
        String session = bed.registerAgent();
        bed.send("cancel.json", bed.adminToken);

        assertEquals(409, bed.send("accept.json", session).status());
    }

    @Test
    void shouldAnswer404_whenAcceptingAnUnknownJob() {
        String session = bed.registerAgent();

        Answer answer = bed.send("accept-unknown.json", session);

        assertEquals(404, answer.status());
        assertEquals("not_found", answer.error());
    }

    @Test
    void shouldPublishPipelineUploaded_whenPipelineIsValid() {
        Job job = bed.givenBuildWithBootstrapJob();
        String session = bed.registerAgent();
        bed.send("accept.json", session);

        Answer answer = bed.send("pipeline-valid.json", session);

        assertEquals(200, answer.status(), answer.json().toString());
        assertEquals(2, answer.json().get("steps").asInt());
        List<BusEvent> published = bed.events.published();
        assertEquals(1, published.size());
        BusEvent event = published.getFirst();
        assertEquals("hybridci.builds", event.source());
        assertEquals("Pipeline Uploaded", event.detailType());
        var validation = SchemaValidator.shared().validate(SchemaNames.PIPELINE_UPLOADED, event.detailJson());
        assertTrue(validation.valid(), validation.errors().toString());
        JsonNode detail = readJson(event.detailJson());
        assertEquals(job.id(), detail.get("uploadId").asText());
        assertEquals(ApiTestBed.BUILD_ID, detail.get("buildId").asText());
        assertEquals("package", detail.get("pipeline").get(1).get("key").asText());
        assertEquals(2, bed.builds.find(ApiTestBed.BUILD_ID).orElseThrow().pipelineSteps(),
                "recorded before the event, so the rollup waits for the pipeline's jobs");
    }

    @Test
    void shouldAnswer422WithTheParsersErrors_whenPipelineIsInvalid() {
        bed.givenBuildWithBootstrapJob();
        String session = bed.registerAgent();
        bed.send("accept.json", session);
        String yaml = readJson(ApiTestBed.load("pipeline-invalid.json").getBody()).get("pipeline").asText();
        List<String> expected = ((ParseResult.Invalid) PipelineParser.parse(yaml)).errors().stream()
                .map(PipelineError::toString).toList();

        Answer answer = bed.send("pipeline-invalid.json", session);

        assertEquals(422, answer.status());
        assertEquals("invalid_pipeline", answer.error());
        List<String> errors = new ArrayList<>();
        answer.json().get("errors").forEach(error -> errors.add(error.asText()));
        assertEquals(expected, errors);
        assertTrue(errors.size() >= 2, errors.toString());
        assertTrue(bed.events.published().isEmpty());
    }

    @Test
    void shouldAnswer422_whenAStepUsesTheBootstrapKey() {
        bed.givenBuildWithBootstrapJob();
        String session = bed.registerAgent();
        bed.send("accept.json", session);

        Answer answer = bed.send(ApiTestBed.withBody("pipeline-valid.json",
                "{\"pipeline\":\"steps:\\n  - key: bootstrap\\n    command: make\\n\"}"), session);

        assertEquals(422, answer.status());
        assertTrue(answer.json().get("errors").get(0).asText().contains("reserved"), answer.json().toString());
    }

    @Test
    void shouldAnswer409_whenUploadingForANonBootstrapJob() {
        Job bootstrap = bed.givenBuildWithBootstrapJob();
        String session = bed.registerAgent();
        String agentId = bed.credentials.sessionByHash(Tokens.sha256Hex(session)).orElseThrow().agentId();
        Job command = Job.planned(bootstrap.buildId(), "test", "Tests", JobKind.COMMAND, "default", 0, List.of(),
                "make test", java.util.Map.of(), null, io.hybridci.core.job.RetryPolicy.DEFAULT, START, "system:test");
        Job queued = JobTransitions.apply(command, new JobEvent.Queue(START, "system:test")).orElseThrow();
        bed.jobs.create(JobTransitions.apply(queued, new JobEvent.Accept(agentId, START)).orElseThrow());

        Answer answer = bed.send(ApiTestBed.withPath("pipeline-valid.json",
                "/agent/v1/jobs/" + command.id() + "/pipeline"), session);

        assertEquals(409, answer.status());
        assertEquals("not_bootstrap", answer.error());
    }

    @Test
    void shouldAnswer403_whenTheJobIsNotAssignedToTheAgent() {
        bed.givenBuildWithBootstrapJob();
        String holder = bed.registerAgent();
        String other = bed.registerAgent();
        bed.send("accept.json", holder);

        Answer answer = bed.send("pipeline-valid.json", other);

        assertEquals(403, answer.status());
        assertTrue(bed.events.published().isEmpty());
    }

    @Test
    void shouldAnswer403_whenTheJobIsStillQueued() {
        bed.givenBuildWithBootstrapJob();
        String session = bed.registerAgent();

        assertEquals(403, bed.send("pipeline-valid.json", session).status());
    }

    @Test
    void shouldRevokeTheSession_whenAgentDisconnects() {
        String session = bed.registerAgent();

        Answer answer = bed.send("disconnect.json", session);

        assertEquals(204, answer.status());
        assertEquals(401, bed.send("ping.json", session).status());
        assertTrue(bed.agents.liveAgents().isEmpty());
    }

    @Test
    void shouldAnswer401_whenAgentRouteHasNoToken() {
        assertEquals(401, bed.send("ping.json", null).status());
        assertEquals(401, bed.send("accept.json", "hca_not-a-real-token").status());
    }

    @Test
    void shouldAnswer401_whenAgentRouteGetsTheAdminToken() {
        assertEquals(401, bed.send("ping.json", bed.adminToken).status());
    }

    private static JsonNode readJson(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

}
