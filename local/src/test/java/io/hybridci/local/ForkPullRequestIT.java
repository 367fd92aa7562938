package io.hybridci.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 10, "a fork PR waiting for approval", end to end on one in-process local cloud: a signed
 * {@code pull_request} from a fork makes a BLOCKED build whose bootstrap job waits; the admin's approve
 * queues the bootstrap job and a scripted agent receives and accepts it.
 */
class ForkPullRequestIT {

    /** The head commit in the fixture, replaced per test so each finds its own build. */
    private static final String FIXTURE_HEAD = "9f2c1e0b7d4a5c3e8f1b2a6d0c9e7f4a3b5d1c2e";

    @TempDir
    static Path temp;

    static LocalCloud cloud;
    static CloudDriver driver;

    @BeforeAll
    static void startCloud() {
        cloud = LocalCloud.start(new LocalCloudOptions(temp.resolve("data"), 0, Clock.systemUTC(), List.of("default"),
                CloudDriver.NODE_MODULES, false, null));
        driver = new CloudDriver(cloud);
    }

    @AfterAll
    static void stopCloud() {
        if (cloud != null) cloud.close();
    }

    private static HttpResponse<String> forkPullRequest(String headCommit) {
        try (var in = ForkPullRequestIT.class.getResourceAsStream("/events/github/pull_request-synchronize-fork.json")) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(FIXTURE_HEAD, headCommit);
            return driver.deliver("pull_request", CloudDriver.newDeliveryId(), body,
                    "sha256=" + ScriptedAgent.hmacHexBytes(cloud.credentials().webhookSecret(), body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, JsonNode> jobsByKey(JsonNode build) {
        return StreamSupport.stream(build.path("jobs").spliterator(), false)
                .collect(Collectors.toMap(job -> job.path("key").asText(), job -> job));
    }

    @Test
    void shouldWaitForApprovalThenQueueTheBootstrap_whenAForkPullRequestArrives() {
        String commit = CloudDriver.newCommit();
        HttpResponse<String> delivered = forkPullRequest(commit);
        assertEquals(202, delivered.statusCode(), delivered.body());

        JsonNode build = driver.awaitBuildWithJob(commit, "BLOCKED");
        String buildId = build.path("id").asText();
        Map<String, JsonNode> jobs = jobsByKey(driver.awaitBuild(buildId, "BLOCKED"));
        JsonNode gate = jobs.get("fork-approval");
        assertEquals("Approve build of fork PR #43 from stranger/widgets", gate.path("label").asText());
        assertEquals("PENDING", jobs.get("bootstrap").path("state").asText());

        ScriptedAgent agent = ScriptedAgent.register(cloud.baseUrl(), cloud.credentials().registrationToken(),
                "fork-approval-agent", Clock.systemUTC());
        HttpResponse<String> approved = ScriptedAgent.http(cloud.baseUrl(), "POST",
                "/api/v1/jobs/" + gate.path("id").asText() + "/approve", cloud.credentials().adminToken(), "{}");
        assertEquals(200, approved.statusCode(), approved.body());

        String bootstrapId = jobs.get("bootstrap").path("id").asText();
        driver.awaitJob(bootstrapId, job -> job.path("state").asText().equals("QUEUED"), "queued after the approval");
        agent.receiveDispatch(bootstrapId, CloudDriver.DEADLINE);
        HttpResponse<String> accepted = agent.accept(bootstrapId);
        assertEquals(200, accepted.statusCode(), accepted.body());
        // Commit statuses are off here: github-status's rules still match, and their events are dropped quietly.
        assertEquals(0, cloud.approximateMessages(io.hybridci.topology.Topology.BUS_TARGETS_DLQ), "no event dead-lettered");
        agent.close();
    }
}
