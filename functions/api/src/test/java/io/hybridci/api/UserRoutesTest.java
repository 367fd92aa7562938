package io.hybridci.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hybridci.api.ApiTestBed.Answer;
import io.hybridci.core.audit.AuditChain;
import io.hybridci.core.audit.AuditRecord;
import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildSource;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.JobTransitions;
import io.hybridci.core.port.LogStore.LogChunk;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.hybridci.api.ApiTestBed.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserRoutesTest {

    private final ApiTestBed bed = new ApiTestBed();

    @Test
    void shouldPageBuildsNewestFirst_whenFollowingNext() {
        for (int i = 0; i < 25; i++) {
            bed.builds.create(Build.created("b-" + i, "acme/widgets", "https://github.com/acme/widgets.git", "main",
                    null, "abcdef" + i, "m", "octocat", "octocat", BuildSource.PUSH, null, START.plusSeconds(i),
                    "github:octocat"));
        }
        APIGatewayV2HTTPEvent firstPage = ApiTestBed.load("builds-list.json");
        firstPage.setQueryStringParameters(Map.of());

        Answer first = bed.send(firstPage, bed.adminToken);

        assertEquals(200, first.status());
        assertEquals(20, first.json().get("builds").size(), "default page size");
        assertEquals("b-24", first.json().get("builds").get(0).get("id").asText());
        String next = first.json().get("next").asText();
        APIGatewayV2HTTPEvent secondPage = ApiTestBed.load("builds-list.json");
        secondPage.setQueryStringParameters(Map.of("limit", "10", "cursor", next));
        Answer second = bed.send(secondPage, bed.adminToken);
        assertEquals(5, second.json().get("builds").size());
        assertEquals("b-4", second.json().get("builds").get(0).get("id").asText());
        assertTrue(second.json().get("next").isNull());
    }

    @Test
    void shouldAnswer400_whenLimitIsOutOfRangeOrCursorForged() {
        APIGatewayV2HTTPEvent tooMany = ApiTestBed.load("builds-list.json");
        tooMany.setQueryStringParameters(Map.of("limit", "101"));
        APIGatewayV2HTTPEvent forged = ApiTestBed.load("builds-list.json");
        forged.setQueryStringParameters(Map.of("cursor", "not-a-cursor"));

        Answer limit = bed.send(tooMany, bed.adminToken);
        Answer cursor = bed.send(forged, bed.adminToken);

        assertEquals(400, limit.status());
        assertTrue(limit.json().get("message").asText().contains("\"limit\""));
        assertEquals(400, cursor.status());
        assertTrue(cursor.json().get("message").asText().contains("\"cursor\""));
    }

    @Test
    void shouldShowBuildWithItsJobs_whenBuildExists() {
        Job bootstrap = bed.givenBuildWithBootstrapJob();

        Answer answer = bed.send("build.json", bed.adminToken);

        assertEquals(200, answer.status());
        JsonNode build = answer.json();
        for (String field : List.of("id", "state", "repo", "branch", "commit", "createdAt", "finishedAt")) {
            assertTrue(build.has(field), "build field " + field);
        }
        assertEquals("CREATED", build.get("state").asText());
        assertEquals("acme/widgets", build.get("repo").asText());
        JsonNode job = build.get("jobs").get(0);
        for (String field : List.of("id", "key", "label", "state", "attempt", "exitStatus", "agentId", "queuedAt",
                "startedAt", "finishedAt")) {
            assertTrue(job.has(field), "job field " + field);
        }
        assertEquals(bootstrap.id(), job.get("id").asText());
        assertEquals("bootstrap", job.get("key").asText());
        assertEquals("QUEUED", job.get("state").asText());
        assertEquals(1, job.get("attempt").asInt());
        assertTrue(job.get("exitStatus").isNull());
    }

    @Test
    void shouldAnswer404_whenBuildOrJobIsUnknown() {
        assertEquals(404, bed.send("build.json", bed.adminToken).status());
        Answer job = bed.send("job.json", bed.adminToken);
        assertEquals(404, job.status());
        assertEquals("not_found", job.error());
        assertEquals(404, bed.send("job-log.json", bed.adminToken).status());
    }

    @Test
    void shouldShowJob_whenJobExists() {
        Job bootstrap = bed.givenBuildWithBootstrapJob();

        Answer answer = bed.send("job.json", bed.adminToken);

        assertEquals(200, answer.status());
        assertEquals(bootstrap.id(), answer.json().get("id").asText());
        assertEquals("BOOTSTRAP", answer.json().get("kind").asText());
    }

    @Test
    void shouldReturnChunksAfterTheGivenSeq_whenReadingTheLog() {
        Job job = bed.givenBuildWithBootstrapJob();
        for (int seq = 0; seq < 3; seq++) {
            bed.logs.append(new LogChunk(job.id(), seq, seq * 6L, "line " + seq + "\n", START.plusSeconds(seq)),
                    START.plus(Duration.ofDays(30)));
        }

        Answer answer = bed.send("job-log.json", bed.adminToken);

        assertEquals(200, answer.status());
        JsonNode chunks = answer.json().get("chunks");
        assertEquals(2, chunks.size(), "after=0 skips seq 0");
        assertEquals(1, chunks.get(0).get("seq").asLong());
        assertEquals("line 2\n", chunks.get(1).get("chunk").asText());
        assertEquals(2, answer.json().get("next").asLong());
        assertFalse(answer.json().get("complete").asBoolean(), "the job is still queued");
    }

    @Test
    void shouldCreateBuildAndQueuedBootstrapJob_whenManualBuildRequested() {
        Answer answer = bed.send("manual-build.json", bed.adminToken);

        assertEquals(201, answer.status(), answer.json().toString());
        String buildId = answer.json().get("id").asText();
        assertEquals("manual", answer.json().get("source").asText());
        assertEquals("CREATED", answer.json().get("state").asText());
        assertEquals("main", answer.json().get("branch").asText());
        JsonNode job = answer.json().get("jobs").get(0);
        assertEquals("bootstrap", job.get("key").asText());
        assertEquals("QUEUED", job.get("state").asText());
        assertEquals(JobState.QUEUED, bed.jobs.jobsOfBuild(buildId).getFirst().state());
        assertEquals("user:admin", bed.builds.find(buildId).orElseThrow().lastActor());

        Answer repeated = bed.send("manual-build.json", bed.adminToken);
        assertEquals(buildId, repeated.json().get("id").asText(), "same Idempotency-Key, same build");
        assertEquals(1, bed.jobs.jobsOfBuild(buildId).size());
    }

    @Test
    void shouldAnswer400NamingTheField_whenManualBuildLacksCommit() {
        Answer answer = bed.send("manual-build-missing-commit.json", bed.adminToken);

        assertEquals(400, answer.status());
        assertTrue(answer.json().get("message").asText().contains("\"commit\""), answer.json().toString());
    }

    @Test
    void shouldRefuseACloneUrlThatGitWouldReadAsAnOption() {
        Answer answer = bed.send(ApiTestBed.withBody("manual-build.json",
                "{\"repo\":\"acme/widgets\",\"cloneUrl\":\"--upload-pack=touch /tmp/x\",\"commit\":\"abcdef1\",\"branch\":\"main\"}"),
                bed.adminToken);

        assertEquals(400, answer.status());
        assertTrue(answer.json().get("message").asText().contains("\"cloneUrl\""));
    }

    @Test
    void shouldCancelAtOnce_whenJobIsQueued() {
        Job job = bed.givenBuildWithBootstrapJob();

        Answer answer = bed.send("cancel.json", bed.adminToken);

        assertEquals(200, answer.status());
        assertEquals("CANCELED", answer.json().get("job").get("state").asText());
        assertEquals(JobState.CANCELED, bed.job(job.id()).state());
        assertEquals(200, bed.send("cancel.json", bed.adminToken).status(), "a repeated cancel is idempotent");
    }

    @Test
    void shouldAnswer409_whenCancelingAFinishedJob() {
        Job job = finishedBootstrap(1);

        Answer answer = bed.send("cancel.json", bed.adminToken);

        assertEquals(409, answer.status());
        assertEquals("conflict", answer.error());
        assertEquals(JobState.FAILED, bed.job(job.id()).state());
    }

    @Test
    void shouldCreateTheNextAttempt_whenRetryingAFailedJob() {
        Job failed = finishedBootstrap(1);

        Answer answer = bed.send("retry.json", bed.adminToken);

        assertEquals(201, answer.status(), answer.json().toString());
        JsonNode next = answer.json().get("job");
        assertEquals(2, next.get("attempt").asInt());
        assertEquals("QUEUED", next.get("state").asText());
        assertEquals(failed.id(), next.get("retryOf").asText());
        assertEquals(next.get("id").asText(), bed.job(failed.id()).retriedBy());
        assertEquals(409, bed.send("retry.json", bed.adminToken).status(), "already retried");
        JsonNode jobs = bed.send("build.json", bed.adminToken).json().get("jobs");
        assertEquals(2, jobs.size());
        assertEquals(jobs.get(0).get("key"), jobs.get(1).get("key"), "retries appear as further jobs with the same key");
    }

    @Test
    void shouldAnswer409_whenRetryingAPassedOrRunningJob() {
        finishedBootstrap(0);
        assertEquals(409, bed.send("retry.json", bed.adminToken).status());

        ApiTestBed running = new ApiTestBed();
        running.givenBuildWithBootstrapJob();
        assertEquals(409, running.send("retry.json", running.adminToken).status());
    }

    @Test
    void shouldReportOk_whenAuditChainsAreIntact() {
        appendAuditRecords("job:j1", 3);
        appendAuditRecords("build:b1", 2);

        Answer answer = bed.send("audit-verify.json", bed.adminToken);

        assertEquals(200, answer.status());
        assertTrue(answer.json().get("ok").asBoolean());
        assertEquals(2, answer.json().get("chains").asLong());
        assertEquals(5, answer.json().get("records").asLong());
        assertTrue(answer.json().get("firstBreak").isNull());
        assertTrue(answer.json().get("complete").asBoolean());
        assertTrue(answer.json().get("next").isNull());
    }

    @Test
    void shouldAnswer400NamingTheCursor_whenTheAuditVerifyCursorIsNotOneItReturned() {
        appendAuditRecords("job:j1", 1);
        APIGatewayV2HTTPEvent event = ApiTestBed.withPath("audit-verify.json", "/api/v1/audit/verify");
        event.setQueryStringParameters(new HashMap<>(Map.of("cursor", "forged")));

        Answer answer = bed.send(event, bed.adminToken);

        assertEquals(400, answer.status());
        assertEquals("bad_request", answer.error());
        assertTrue(answer.json().get("message").asText().contains("cursor"), answer.json().toString());
    }

    @Test
    void shouldReportTheFirstBreak_whenAnAuditRecordWasAltered() {
        List<AuditRecord> records = appendAuditRecords("job:j1", 3);
        AuditRecord original = records.get(1);
        bed.audit.replace(new AuditRecord(original.chain(), original.seq(), original.at(), "user:mallory",
                original.entity(), original.action(), original.before(), original.after(), original.prevHash(),
                original.hash()));

        Answer answer = bed.send("audit-verify.json", bed.adminToken);

        assertEquals(200, answer.status());
        assertFalse(answer.json().get("ok").asBoolean());
        JsonNode firstBreak = answer.json().get("firstBreak");
        assertEquals("job:j1", firstBreak.get("chain").asText());
        assertEquals(2, firstBreak.get("seq").asLong());
        assertEquals("HASH_MISMATCH", firstBreak.get("problem").asText());
    }

    @Test
    void shouldAnswer401_whenAdminTokenIsMissingOrWrong() {
        bed.givenBuildWithBootstrapJob();

        Answer missing = bed.send("build.json", null);
        Answer wrong = bed.send("build.json", bed.adminToken + "x");
        Answer agentToken = bed.send("build.json", bed.registerAgent());

        assertEquals(401, missing.status());
        assertEquals("unauthorized", missing.error());
        assertEquals(401, wrong.status());
        assertEquals(401, agentToken.status());
    }

    @Test
    void shouldAnswer404_whenRouteIsUnknown() {
        Answer answer = bed.send("unknown-route.json", bed.adminToken);

        assertEquals(404, answer.status());
        assertEquals("not_found", answer.error());
    }

    @Test
    void shouldAnswer405WithAllow_whenMethodIsWrong() {
        Answer answer = bed.send("builds-delete.json", bed.adminToken);

        assertEquals(405, answer.status());
        assertEquals("GET, POST", answer.headers().get("allow"));
    }

    @Test
    void shouldAnswer413_whenBodyIsTooLarge() {
        Answer answer = bed.send(ApiTestBed.withBody("manual-build.json", "{\"repo\":\"" + "a".repeat(Router.MAX_BODY_BYTES) + "\"}"),
                bed.adminToken);

        assertEquals(413, answer.status());
    }

    @Test
    void shouldAnswer400_whenBodyIsNotAnObject() {
        Answer answer = bed.send(ApiTestBed.withBody("manual-build.json", "[1, 2]"), bed.adminToken);

        assertEquals(400, answer.status());
        assertEquals("bad_request", answer.error());
    }

    @Test
    void shouldAnswer500WithoutDetails_whenAnAdapterFails() {
        ApiHandler failing = new ApiHandler(new ExplodingBuilds(), bed.jobs, bed.agents, bed.credentials, bed.logs,
                bed.audit, bed.events, new io.hybridci.core.port.inmemory.StaticSecretSource(List.of(),
                List.of(io.hybridci.core.security.Tokens.sha256Hex(bed.adminToken))),
                new ApiConfig(io.hybridci.core.agentapi.AgentApiSettings.withDefaults(Map.of("default", "u"), "u",
                        "us-east-1", null)), bed.clock);
        APIGatewayV2HTTPEvent event = ApiTestBed.load("build.json");
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("authorization", "Bearer " + bed.adminToken);
        event.setHeaders(headers);

        var response = failing.handleRequest(event, null);

        assertEquals(500, response.getStatusCode());
        assertTrue(response.getBody().contains("internal_error"));
        assertFalse(response.getBody().contains("secret table password"), response.getBody());
        assertFalse(response.getBody().contains("at io.hybridci"), "no stack trace");
    }

    /** A failed (exit 1) or passed (exit 0) bootstrap job of the fixtures' build. */
    private Job finishedBootstrap(int exitStatus) {
        Job job = bed.givenBuildWithBootstrapJob();
        Job assigned = JobTransitions.apply(job, new JobEvent.Accept("agent-1", START)).orElseThrow();
        Job running = JobTransitions.apply(assigned, new JobEvent.Start("agent-1", START.plusSeconds(1))).orElseThrow();
        Job finished = JobTransitions.apply(running,
                new JobEvent.Finish("agent-1", exitStatus, null, START.plusSeconds(2))).orElseThrow();
        bed.jobs.update(finished, job.version());
        assertNotEquals(job.version(), bed.job(job.id()).version());
        return bed.job(job.id());
    }

    private List<AuditRecord> appendAuditRecords(String chain, int count) {
        List<AuditRecord> records = new ArrayList<>();
        AuditRecord previous = null;
        for (int i = 0; i < count; i++) {
            previous = AuditChain.next(previous, chain, START.plusSeconds(i), "system:test", chain, "MODIFY",
                    JsonNodeFactory.instance.objectNode().put("n", i), JsonNodeFactory.instance.objectNode().put("n", i + 1));
            bed.audit.append(previous, "event-" + chain + "-" + i);
            records.add(previous);
        }
        return records;
    }

    /** A build repository whose storage is down. */
    private static final class ExplodingBuilds implements io.hybridci.core.port.BuildRepository {
        private static IllegalStateException down() {
            return new IllegalStateException("secret table password rejected");
        }

        @Override
        public java.util.Optional<Build> find(String buildId) {
            throw down();
        }

        @Override
        public io.hybridci.core.port.WriteResult<Build> create(Build build) {
            throw down();
        }

        @Override
        public io.hybridci.core.port.WriteResult<Build> update(Build next, long expectedVersion) {
            throw down();
        }

        @Override
        public io.hybridci.core.port.Page<Build> listNewestFirst(int limit, java.util.Optional<String> cursor) {
            throw down();
        }

        @Override
        public io.hybridci.core.port.Page<Build> listOnBranchNewestFirst(String repo, String branch, int limit,
                                                                         java.util.Optional<String> cursor) {
            throw down();
        }
    }
}
