package io.hybridci.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.topology.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a restart of {@code ./hybridci up} on the same data dir must keep, and the credentials files it writes. */
class LocalCloudRestartIT {

    @TempDir
    Path temp;

    private LocalCloudOptions options() {
        return new LocalCloudOptions(temp.resolve("data"), 0, Clock.systemUTC(), List.of("default"),
                CloudDriver.NODE_MODULES, false, null);
    }

    @Test
    void shouldKeepBuildsJobsQueuedMessagesAuditAndCredentials_whenRestartedOnTheSameDataDir() throws Exception {
        String commit = CloudDriver.newCommit();
        String buildId;
        String jobId;
        String queueUrl;
        long auditRecords;
        LocalCredentials first;
        try (LocalCloud cloud = LocalCloud.start(options())) {
            CloudDriver driver = new CloudDriver(cloud);
            assertEquals(202, driver.push(CloudDriver.newDeliveryId(), commit).statusCode());
            JsonNode build = driver.awaitBuildWithJob(commit, "QUEUED");
            buildId = build.path("id").asText();
            jobId = build.path("jobs").path(0).path("id").asText();
            queueUrl = cloud.queueUrl(Topology.jobQueueName("default"));
            auditRecords = CloudDriver.await("audit records of the build", () -> java.util.Optional.of(driver.admin("/api/v1/audit/verify")),
                    report -> report.path("records").asLong() >= 2).path("records").asLong();
            first = cloud.credentials();
        }
        for (String file : List.of(LocalCredentials.WEBHOOK_SECRET_FILE, LocalCredentials.ADMIN_TOKEN_FILE,
                LocalCredentials.REGISTRATION_TOKEN_FILE)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("data").resolve(file))), file);
        }

        try (LocalCloud cloud = LocalCloud.start(options())) {
            CloudDriver driver = new CloudDriver(cloud);
            assertEquals(first.adminToken(), cloud.credentials().adminToken());
            assertEquals(first.registrationToken(), cloud.credentials().registrationToken());
            assertEquals(queueUrl, cloud.queueUrl(Topology.jobQueueName("default")), "queue URLs must survive a restart");

            JsonNode build = driver.admin("/api/v1/builds/" + buildId);
            assertEquals(jobId, build.path("jobs").path(0).path("id").asText());
            assertEquals("QUEUED", build.path("jobs").path(0).path("state").asText());
            List<Message> queued = cloud.clients().sqs().receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(5)).messages();
            assertTrue(queued.stream().anyMatch(message -> message.body().contains(jobId)), "the dispatch is still queued: " + queued);
            JsonNode verify = driver.admin("/api/v1/audit/verify");
            assertTrue(verify.path("ok").asBoolean(), verify.toString());
            assertTrue(verify.path("records").asLong() >= auditRecords, verify.toString());
            // The registration token still registers an agent after the restart.
            ScriptedAgent.register(cloud.baseUrl(), cloud.credentials().registrationToken(), "after-restart", Clock.systemUTC()).close();
        }
    }
}
