package io.hybridci.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.topology.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6 end to end on one in-process local cloud: an admin rotates the GitHub webhook secret through the
 * API while signed deliveries keep arriving (none is rejected, and the old secret stops working once the
 * rotation is finished); registration tokens created and revoked through the API; and the registration
 * token rotated by Secrets Manager through secret-rotator, as its rotation schedule would in AWS.
 */
class WebhookSecretRotationIT {

    /** Longer than the local cloud's secret cache (5 s): the intake has read the secret again after it. */
    private static final Duration PAST_SECRET_CACHE = Duration.ofSeconds(6);

    @TempDir
    static Path temp;

    static final MutableClock CLOCK = new MutableClock();
    static LocalCloud cloud;

    @BeforeAll
    static void startCloud() {
        cloud = LocalCloud.start(new LocalCloudOptions(temp.resolve("data"), 0, CLOCK, List.of("default"),
                CloudDriver.NODE_MODULES, false, null));
    }

    @AfterAll
    static void stopCloud() {
        if (cloud != null) cloud.close();
    }

    @Test
    void shouldRejectNoDeliveryDuringTheRotation_andTheOldSecretOnceItIsFinished_whenAnAdminRotatesTheWebhookSecret() {
        String oldSecret = cloud.credentials().webhookSecret();
        List<Integer> answers = new ArrayList<>();
        answers.add(deliverSignedWith(oldSecret));

        JsonNode rotated = adminPost("/api/v1/secrets/github-webhook/rotate", 200);
        String newSecret = rotated.path("value").asText();
        answers.add(deliverSignedWith(oldSecret));      // GitHub still has the old value
        CLOCK.advance(PAST_SECRET_CACHE);               // the admin pastes the new value into GitHub
        answers.add(deliverSignedWith(oldSecret));      // a delivery sent just before the paste
        answers.add(deliverSignedWith(newSecret));
        answers.add(deliverSignedWith(newSecret));

        JsonNode finished = adminPost("/api/v1/secrets/github-webhook/finish", 200);
        CLOCK.advance(PAST_SECRET_CACHE);
        int oldAfterFinish = deliverSignedWith(oldSecret);
        int newAfterFinish = deliverSignedWith(newSecret);

        assertNotEquals(oldSecret, newSecret);
        assertTrue(newSecret.length() >= 32, "a 256-bit value");
        assertEquals(List.of(202, 202, 202, 202, 202), answers, "no delivery is rejected while the rotation is pending");
        assertTrue(finished.path("finished").asBoolean(), finished.toString());
        assertEquals(rotated.path("versionId").asText(), finished.path("currentVersionId").asText());
        assertEquals(401, oldAfterFinish, "the old secret is rejected once the rotation is finished");
        assertEquals(202, newAfterFinish);
    }

    @Test
    void shouldRegisterWithATokenCreatedThroughTheApi_andRefuseItOnceRevoked_whenAnAdminManagesTokens() {
        JsonNode created = adminPost("/api/v1/registration-tokens",
                "{\"description\":\"rotation IT\",\"allowedQueues\":[\"default\"]}", 201);
        String token = created.path("token").asText();

        try (ScriptedAgent agent = ScriptedAgent.register(cloud.baseUrl(), token, "token-from-api", CLOCK)) {
            assertTrue(!agent.agentId.isBlank(), "register answered an agent id");
        }
        JsonNode listed = admin("GET", "/api/v1/registration-tokens", null, 200);
        HttpResponse<String> revoked = ScriptedAgent.http(cloud.baseUrl(), "DELETE",
                "/api/v1/registration-tokens/" + created.path("id").asText(), cloud.credentials().adminToken(), null);
        HttpResponse<String> refused = registerWith(token, "after-revocation");

        assertTrue(token.startsWith("hcr_"), "registration tokens carry their kind");
        assertTrue(listed.toString().contains(created.path("id").asText()), listed.toString());
        assertTrue(!listed.toString().contains(token), "a listing never carries a token's value");
        assertEquals(204, revoked.statusCode(), revoked.body());
        assertEquals(401, refused.statusCode(), refused.body());
    }

    @Test
    void shouldAcceptOnlyTheNewRegistrationToken_whenSecretsManagerRotatesItThroughSecretRotator() {
        var secrets = cloud.clients().secretsManager();
        String before = secrets.getSecretValue(r -> r.secretId(Topology.REGISTRATION_TOKEN_SECRET)).secretString();
        HttpResponse<String> oldWorks = registerWith(before, "before-rotation");

        secrets.rotateSecret(r -> r.secretId(Topology.REGISTRATION_TOKEN_SECRET));
        String after = secrets.getSecretValue(r -> r.secretId(Topology.REGISTRATION_TOKEN_SECRET)).secretString();

        assertEquals(201, oldWorks.statusCode(), oldWorks.body());
        assertNotEquals(before, after);
        assertEquals(201, registerWith(after, "after-rotation").statusCode());
        assertEquals(401, registerWith(before, "old-token").statusCode(), "finishSecret revoked the old token");
    }

    private int deliverSignedWith(String secret) {
        String body = CloudDriver.pushBody(CloudDriver.newCommit());
        String signature = "sha256=" + ScriptedAgent.hmacHexBytes(secret, body);
        return new CloudDriver(cloud).deliver(CloudDriver.newDeliveryId(), body, signature).statusCode();
    }

    private static HttpResponse<String> registerWith(String token, String name) {
        return ScriptedAgent.http(cloud.baseUrl(), "POST", "/agent/v1/register", token,
                "{\"name\":\"" + name + "\",\"queues\":[\"default\"],\"version\":\"0.1.0\",\"hostname\":\"" + name
                        + "\",\"os\":\"linux\",\"arch\":\"amd64\"}");
    }

    private static JsonNode adminPost(String path, int expectedStatus) {
        return admin("POST", path, null, expectedStatus);
    }

    private static JsonNode adminPost(String path, String body, int expectedStatus) {
        return admin("POST", path, body, expectedStatus);
    }

    private static JsonNode admin(String method, String path, String body, int expectedStatus) {
        HttpResponse<String> response = ScriptedAgent.http(cloud.baseUrl(), method, path, cloud.credentials().adminToken(), body);
        assertEquals(expectedStatus, response.statusCode(), method + " " + path + ": " + response.body());
        return ScriptedAgent.parse(response.body());
    }
}
