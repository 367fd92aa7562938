package io.hybridci.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.hybridci.api.ApiTestBed.Answer;
import io.hybridci.core.agentapi.AgentApiSettings;
import io.hybridci.core.port.SecretVersions;
import io.hybridci.core.port.inmemory.InMemorySecretVersions;
import io.hybridci.core.port.inmemory.StaticSecretSource;
import io.hybridci.core.security.Tokens;
import io.hybridci.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The admin routes of issue 6 over the in-memory adapters, through the real handler and router. */
class AdminRoutesTest {

    private final ApiTestBed bed = new ApiTestBed();

    private static APIGatewayV2HTTPEvent request(String method, String path, String body) {
        APIGatewayV2HTTPEvent event = ApiTestBed.withPath("manual-build.json", path);
        event.getRequestContext().getHttp().setMethod(method);
        event.setBody(body);
        event.setIsBase64Encoded(false);
        return event;
    }

    @Test
    void shouldRefuse_whenTheAdminTokenIsMissing() {
        assertEquals(401, bed.send(request("GET", "/api/v1/agents", null), null).status());
        assertEquals(401, bed.send(request("POST", "/api/v1/registration-tokens", "{}"), "hcadmin_wrong").status());
    }

    @Test
    void shouldListPauseResumeDrainAndRemoveAgents_whenTheAdminAsks() {
        String session = bed.registerAgent();
        Answer list = bed.send(request("GET", "/api/v1/agents", null), bed.adminToken);
        String agentId = list.json().get("agents").get(0).get("id").asText();

        assertEquals("CONNECTED", list.json().get("agents").get(0).get("state").asText());
        assertEquals("PAUSED", bed.send(request("POST", "/api/v1/agents/" + agentId + "/pause", ""), bed.adminToken)
                .json().get("state").asText());
        assertEquals("CONNECTED", bed.send(request("POST", "/api/v1/agents/" + agentId + "/resume", ""), bed.adminToken)
                .json().get("state").asText());
        assertEquals("DRAINING", bed.send(request("POST", "/api/v1/agents/" + agentId + "/drain", ""), bed.adminToken)
                .json().get("state").asText());
        assertEquals("DISCONNECTED", bed.send(request("DELETE", "/api/v1/agents/" + agentId, null), bed.adminToken)
                .json().get("state").asText());
        assertEquals(401, bed.send("ping.json", session).status(), "a removed agent's session is revoked");
        assertEquals(404, bed.send(request("POST", "/api/v1/agents/nobody/pause", ""), bed.adminToken).status());
    }

    @Test
    void shouldShowTheValueOnceListWithoutValuesAndRevoke_whenRegistrationTokensAreManaged() {
        Answer created = bed.send(request("POST", "/api/v1/registration-tokens",
                "{\"description\":\"fleet\",\"allowedQueues\":[\"default\"],\"expiresAt\":\"2030-01-01T00:00:00Z\"}"),
                bed.adminToken);
        String value = created.json().get("token").asText();
        String id = created.json().get("id").asText();

        assertEquals(201, created.status());
        assertTrue(value.startsWith("hcr_"));
        Answer listed = bed.send(request("GET", "/api/v1/registration-tokens", null), bed.adminToken);
        assertFalse(listed.json().toString().contains(value), "the list never carries a value");
        assertFalse(listed.json().toString().contains(Tokens.sha256Hex(value)), "nor a hash");
        assertEquals(2, listed.json().get("registrationTokens").size());
        assertEquals(204, bed.send(request("DELETE", "/api/v1/registration-tokens/" + id, null), bed.adminToken).status());
        assertEquals(401, bed.send("register.json", value).status(), "a revoked token registers nobody");
        assertEquals(404, bed.send(request("DELETE", "/api/v1/registration-tokens/nope", null), bed.adminToken).status());
    }

    @Test
    void shouldRefuse_whenATokenRequestIsInvalid() {
        assertEquals(400, bed.send(request("POST", "/api/v1/registration-tokens", "{\"allowedQueues\":[\"gpu\"]}"),
                bed.adminToken).status());
        assertEquals(400, bed.send(request("POST", "/api/v1/registration-tokens", "{\"expiresAt\":\"2020-01-01T00:00:00Z\"}"),
                bed.adminToken).status());
        assertEquals(400, bed.send(request("POST", "/api/v1/registration-tokens", "{\"expiresAt\":\"tomorrow\"}"),
                bed.adminToken).status());
    }

    @Test
    void shouldAnswerTheNewValueThenFinish_whenTheWebhookSecretIsRotated() {
        InMemorySecretVersions versions = new InMemorySecretVersions(bed.clock);
        versions.create(Topology.WEBHOOK_SECRET, "v-1", "old-webhook-secret-0123456789abcdef0123");
        ApiHandler handler = new ApiHandler(bed.builds, bed.jobs, bed.agents, bed.credentials, bed.logs, bed.audit,
                bed.events, new StaticSecretSource(List.of(), List.of(Tokens.sha256Hex(bed.adminToken))),
                new ApiConfig(AgentApiSettings.withDefaults(Map.of("default", ApiTestBed.JOBS_DEFAULT_URL),
                        ApiTestBed.AGENT_UPDATES_URL, "us-east-1", null)),
                new AdminPorts(Optional.of(bed.credentials), Optional.of(versions), Duration.ofHours(2)), bed.clock);
        ApiTestBed.Sender send = (event) -> ApiTestBed.answer(handler, event, bed.adminToken);

        Answer rotated = send.send(request("POST", "/api/v1/secrets/github-webhook/rotate", ""));
        String value = rotated.json().get("value").asText();
        Answer status = send.send(request("GET", "/api/v1/secrets/github-webhook", null));
        Answer finished = send.send(request("POST", "/api/v1/secrets/github-webhook/finish", ""));

        assertEquals(200, rotated.status());
        assertNotEquals("old-webhook-secret-0123456789abcdef0123", value);
        assertFalse(status.json().toString().contains(value), "the status never carries the value");
        assertEquals(rotated.json().get("versionId").asText(), status.json().get("pendingVersionId").asText());
        assertTrue(finished.json().get("finished").asBoolean());
        assertEquals(Optional.of(value), versions.describe(Topology.WEBHOOK_SECRET).orElseThrow()
                .withStage(SecretVersions.CURRENT).flatMap(v -> versions.valueOf(Topology.WEBHOOK_SECRET, v.versionId())));
        assertEquals(404, send.send(request("POST", "/api/v1/secrets/admin-token/rotate", "")).status());
    }

    @Test
    void shouldAnswer503_whenSecretRotationIsNotConfigured() {
        assertEquals(503, bed.send(request("POST", "/api/v1/secrets/github-webhook/rotate", ""), bed.adminToken).status());
    }
}
