package io.hybridci.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.topology.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole path through one local cloud, started in-process on a temp dir and a free port with a clock
 * the test moves: signed GitHub push → build → bootstrap job queued on {@code jobs-default} → a scripted
 * agent accepts it and reports → the job's end state, audit chain included. One cloud for the class:
 * starting one costs seconds, and every test works on its own build (its own commit id).
 */
class LocalCloudIT {

    @TempDir
    static Path temp;

    static final MutableClock CLOCK = new MutableClock();
    static LocalCloud cloud;
    static CloudDriver driver;

    @BeforeAll
    static void startCloud() {
        cloud = LocalCloud.start(new LocalCloudOptions(temp.resolve("data"), 0, CLOCK, List.of("default"),
                CloudDriver.NODE_MODULES, false, null));
        driver = new CloudDriver(cloud);
    }

    @AfterAll
    static void stopCloud() {
        if (cloud != null) cloud.close();
    }

    /** Push → bootstrap job dispatched → accepted by a fresh agent; returns the agent and the job id. */
    private record Running(ScriptedAgent agent, String jobId, String buildId) {}

    private Running startBootstrapJob(String agentName) {
        String commit = CloudDriver.newCommit();
        HttpResponse<String> delivered = driver.push(CloudDriver.newDeliveryId(), commit);
        assertEquals(202, delivered.statusCode(), delivered.body());
        JsonNode build = driver.awaitBuildWithJob(commit, "QUEUED");
        JsonNode job = build.path("jobs").path(0);
        assertEquals("bootstrap", job.path("key").asText());
        String jobId = job.path("id").asText();

        ScriptedAgent agent = ScriptedAgent.register(cloud.baseUrl(), cloud.credentials().registrationToken(), agentName, CLOCK);
        JsonNode dispatch = agent.receiveDispatch(jobId, CloudDriver.DEADLINE);
        assertEquals(build.path("id").asText(), dispatch.path("buildId").asText());
        HttpResponse<String> accepted = agent.accept(jobId);
        assertEquals(200, accepted.statusCode(), accepted.body());
        return new Running(agent, jobId, build.path("id").asText());
    }

    @Test
    void shouldPassTheJobAndTheBuild_whenTheAgentFinishesTheBootstrapJobWithExitZero() {
        Running run = startBootstrapJob("passing-agent");
        run.agent().send(run.agent().started(run.jobId(), 1, 0));
        run.agent().send(run.agent().log(run.jobId(), 1, 1, "hello from the scripted agent\n", 0));
        run.agent().send(run.agent().finished(run.jobId(), 1, 2, 0));

        JsonNode job = driver.awaitJob(run.jobId(), j -> j.path("state").asText().equals("PASSED"), "PASSED");
        assertEquals(0, job.path("exitStatus").asInt());
        assertEquals(run.agent().agentId, job.path("agentId").asText());
        driver.awaitBuild(run.buildId(), "PASSED");
        JsonNode log = driver.admin("/api/v1/jobs/" + run.jobId() + "/log");
        assertTrue(log.toString().contains("hello from the scripted agent"), log.toString());
        run.agent().close();
    }

    @Test
    void shouldFailTheJobAndTheBuild_whenTheAgentFinishesWithExitOne() {
        Running run = startBootstrapJob("failing-agent");
        run.agent().send(run.agent().started(run.jobId(), 1, 0));
        run.agent().send(run.agent().finished(run.jobId(), 1, 1, 1));

        JsonNode job = driver.awaitJob(run.jobId(), j -> j.path("state").asText().equals("FAILED"), "FAILED");
        assertEquals(1, job.path("exitStatus").asInt());
        driver.awaitBuild(run.buildId(), "FAILED");
        run.agent().close();
    }

    @Test
    void shouldCreateOneBuild_whenGithubDeliversTheSamePushTwice() {
        String commit = CloudDriver.newCommit();
        String delivery = CloudDriver.newDeliveryId();
        assertEquals(202, driver.push(delivery, commit).statusCode());
        HttpResponse<String> again = driver.push(delivery, commit);

        assertEquals(200, again.statusCode(), again.body());
        assertTrue(again.body().contains("\"duplicate\":true"), again.body());
        driver.awaitBuildWithJob(commit, "QUEUED");
        assertEquals(1, driver.buildsOf(commit).size());
    }

    @Test
    void shouldRejectWithoutEffect_whenThePushSignatureIsWrong() {
        String commit = CloudDriver.newCommit();
        HttpResponse<String> response = driver.deliver(CloudDriver.newDeliveryId(), CloudDriver.pushBody(commit),
                "sha256=" + ScriptedAgent.hmacHex("not-the-secret", CloudDriver.pushBody(commit)));

        assertEquals(401, response.statusCode(), response.body());
        assertTrue(driver.buildsOf(commit).isEmpty());
    }

    @Test
    void shouldApplyOneTransition_whenTheSameAgentMessageIsDeliveredTwice() {
        Running run = startBootstrapJob("repeating-agent");
        var started = run.agent().started(run.jobId(), 1, 0);
        run.agent().send(started);
        driver.awaitJob(run.jobId(), j -> j.path("state").asText().equals("RUNNING"), "RUNNING");
        long versionAfterStart = jobVersion(run.jobId());

        // The same message again: once with its dedup id (SQS drops it within 5 minutes), once as a
        // redelivery under another SQS message id (the ledger sees seq 0 again and refuses it).
        run.agent().send(started);
        run.agent().send(started, run.agent().signingKey, run.jobId() + "-0-redelivered");
        awaitQueueDrained(Topology.AGENT_UPDATES_QUEUE);

        assertEquals(versionAfterStart, jobVersion(run.jobId()), "a repeated 'started' must not write the job again");
        run.agent().send(run.agent().finished(run.jobId(), 1, 1, 0));
        driver.awaitJob(run.jobId(), j -> j.path("state").asText().equals("PASSED"), "PASSED");
        run.agent().close();
    }

    @Test
    void shouldRejectAndAudit_whenAnAgentMessageIsSignedWithAnotherKey() {
        Running run = startBootstrapJob("forged-agent");
        run.agent().send(run.agent().started(run.jobId(), 1, 0));
        driver.awaitJob(run.jobId(), j -> j.path("state").asText().equals("RUNNING"), "RUNNING");

        var forged = run.agent().finished(run.jobId(), 1, 1, 0);
        run.agent().send(forged, "a-key-the-control-plane-never-issued", run.jobId() + "-1");
        awaitQueueDrained(Topology.AGENT_UPDATES_QUEUE);

        assertEquals("RUNNING", driver.admin("/api/v1/jobs/" + run.jobId()).path("state").asText());
        CloudDriver.await("an audited rejection of job " + run.jobId(), () -> java.util.Optional.of(auditChainsMentioning(run.jobId())),
                chains -> chains.stream().anyMatch(chain -> chain.startsWith("rejection:")));
        run.agent().close();
    }

    @Test
    void shouldLoseTheAgentAndRetryItsJob_whenTheAgentIsSilentForThreeMinutes() {
        Running run = startBootstrapJob("silent-agent");
        run.agent().send(run.agent().started(run.jobId(), 1, 0));
        driver.awaitJob(run.jobId(), j -> j.path("state").asText().equals("RUNNING"), "RUNNING");

        CLOCK.advance(Duration.ofMinutes(3).plusSeconds(30));
        cloud.triggerNow("reaper-every-minute");

        JsonNode lost = driver.awaitJob(run.jobId(), j -> j.path("state").asText().equals("FAILED"), "FAILED");
        assertEquals(-1, lost.path("exitStatus").asInt());
        JsonNode build = driver.await("a retry of " + run.jobId(), () -> java.util.Optional.of(driver.admin("/api/v1/builds/" + run.buildId())),
                b -> b.path("jobs").size() == 2);
        JsonNode retry = null;
        for (JsonNode job : build.path("jobs")) if (job.path("attempt").asInt() == 2) retry = job;
        assertTrue(retry != null, build.toString());
        assertEquals("bootstrap", retry.path("key").asText());
        String retryId = retry.path("id").asText();
        driver.awaitJob(retryId, j -> j.path("state").asText().equals("QUEUED"), "QUEUED");
        run.agent().close();
    }

    @Test
    void shouldVerifyTheAuditChains_andReportABreak_whenARecordIsAlteredInTheTable() {
        startBootstrapJob("audited-agent").agent().close();
        JsonNode verified = driver.await("audit records", () -> java.util.Optional.of(driver.admin("/api/v1/audit/verify")),
                report -> report.path("records").asLong() > 0);
        assertTrue(verified.path("ok").asBoolean(), verified.toString());

        var table = cloud.topology().table(Topology.AUDIT_TABLE).name();
        var dynamo = cloud.clients().dynamoDb();
        Map<String, AttributeValue> record = dynamo.scan(s -> s.tableName(table).limit(1)).items().get(0);
        Map<String, AttributeValue> key = Map.of("chain", record.get("chain"), "seq", record.get("seq"));
        AttributeValue original = record.get("actor");
        dynamo.updateItem(u -> u.tableName(table).key(key).updateExpression("SET actor = :forged")
                .expressionAttributeValues(Map.of(":forged", AttributeValue.fromS("user:mallory"))));
        try {
            JsonNode broken = driver.admin("/api/v1/audit/verify");
            assertFalse(broken.path("ok").asBoolean(), broken.toString());
            assertFalse(broken.path("firstBreak").isNull(), broken.toString());
            assertTrue(broken.path("firstBreak").toString().contains(record.get("chain").s()), broken.toString());
        } finally {
            // Restore, so the other tests of this class still see an intact trail.
            dynamo.updateItem(u -> u.tableName(table).key(key).updateExpression("SET actor = :actor")
                    .expressionAttributeValues(Map.of(":actor", original)));
        }
    }

    private long jobVersion(String jobId) {
        var item = cloud.clients().dynamoDb().getItem(g -> g.tableName(cloud.topology().table(Topology.STATE_TABLE).name())
                .consistentRead(true).key(Map.of("pk", AttributeValue.fromS("JOB#" + jobId), "sk", AttributeValue.fromS("JOB")))).item();
        return Long.parseLong(item.get("version").n());
    }

    /** Chains of the audit table whose records mention {@code text} (a scan: fine on a test's few hundred records). */
    private List<String> auditChainsMentioning(String text) {
        String table = cloud.topology().table(Topology.AUDIT_TABLE).name();
        List<String> chains = new java.util.ArrayList<>();
        cloud.clients().dynamoDb().scanPaginator(s -> s.tableName(table)).items().forEach(item -> {
            if (item.toString().contains(text)) chains.add(item.get("chain").s());
        });
        return chains;
    }

    /** Waits until the job-updater has taken and deleted everything on the queue (visible or in flight). */
    private void awaitQueueDrained(String logicalQueue) {
        String url = cloud.queueUrl(logicalQueue);
        CloudDriver.await(logicalQueue + " drained", () -> java.util.Optional.of(cloud.clients().sqs().getQueueAttributes(r -> r.queueUrl(url)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                        .attributes()),
                attributes -> "0".equals(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                        && "0".equals(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)));
    }
}
