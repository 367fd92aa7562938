package io.hybridci.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.core.port.EventPublisher.BusEvent;
import io.hybridci.core.port.inmemory.InMemoryDeliveryLog;
import io.hybridci.core.port.inmemory.RecordingEventPublisher;
import io.hybridci.core.port.inmemory.StaticSecretSource;
import io.hybridci.schema.SchemaNames;
import io.hybridci.schema.SchemaValidator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The handler on API Gateway v2 fixtures signed as GitHub signs them, against the in-memory adapters. */
class WebhookIntakeHandlerTest {

    /** The secret the fixtures are signed with (GitHub's own documentation example). */
    private static final String CURRENT_SECRET = "It's a Secret to Everybody";
    private static final String PENDING_SECRET = "pending-webhook-secret-2025-03";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InMemoryDeliveryLog deliveries = new InMemoryDeliveryLog();
    private final RecordingEventPublisher publisher = new RecordingEventPublisher();
    private StaticSecretSource secrets = new StaticSecretSource(List.of(CURRENT_SECRET), List.of());

    private APIGatewayV2HTTPResponse send(String fixture) {
        return send(load(fixture));
    }

    private APIGatewayV2HTTPResponse send(APIGatewayV2HTTPEvent event) {
        WebhookIntakeHandler handler = new WebhookIntakeHandler(secrets, deliveries, publisher,
                Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC));
        return handler.handleRequest(event, null);
    }

    private static APIGatewayV2HTTPEvent load(String fixture) {
        return EventLoader.loadApiGatewayHttpEvent("events/apigateway/" + fixture + ".json");
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
        return JSON.readTree(response.getBody());
    }

    @ParameterizedTest
    @ValueSource(strings = {"push-json", "push-form", "push-base64"})
    void shouldPublishOneValidPushDetail_whenASignedPushArrives(String fixture) throws Exception {
        APIGatewayV2HTTPResponse response = send(fixture);

        assertEquals(202, response.getStatusCode(), response.getBody());
        assertTrue(body(response).get("accepted").asBoolean());
        assertEquals(1, publisher.published().size());
        BusEvent event = publisher.published().getFirst();
        assertEquals("github.com", event.source());
        assertEquals("push", event.detailType());
        assertEquals(List.of(), SchemaValidator.shared().validate(SchemaNames.GITHUB_PUSH, event.detailJson()).errors());
        JsonNode detail = JSON.readTree(event.detailJson());
        assertEquals(load(fixture).getHeaders().get("x-github-delivery"), detail.get("delivery").asText());
        assertEquals("main", detail.get("branch").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pull_request-opened", "pull_request-synchronize-fork"})
    void shouldPublishAValidPullRequestDetail_whenASignedPullRequestArrives(String fixture) throws Exception {
        APIGatewayV2HTTPResponse response = send(fixture);

        assertEquals(202, response.getStatusCode(), response.getBody());
        BusEvent event = publisher.published().getFirst();
        assertEquals("pull_request", event.detailType());
        assertEquals(List.of(),
                SchemaValidator.shared().validate(SchemaNames.GITHUB_PULL_REQUEST, event.detailJson()).errors());
    }

    @ParameterizedTest
    @ValueSource(strings = {"push-tag", "push-deleted-branch"})
    void shouldPublishAValidDetail_whenATagIsPushedOrABranchDeleted(String fixture) {
        APIGatewayV2HTTPResponse response = send(fixture);

        assertEquals(202, response.getStatusCode(), response.getBody());
        assertEquals(List.of(), SchemaValidator.shared()
                .validate(SchemaNames.GITHUB_PUSH, publisher.published().getFirst().detailJson()).errors());
    }

    @Test
    void shouldAccept_whenSignedWithThePendingSecretDuringARotation() {
        secrets = new StaticSecretSource(List.of(CURRENT_SECRET, PENDING_SECRET), List.of());

        APIGatewayV2HTTPResponse response = send("push-pending-secret");

        assertEquals(202, response.getStatusCode(), response.getBody());
        assertEquals(1, publisher.published().size());
    }

    @Test
    void shouldRefuseWith401_whenSignedWithThePendingSecretButNoRotationRuns() {
        APIGatewayV2HTTPResponse response = send("push-pending-secret");

        assertEquals(401, response.getStatusCode());
        assertEquals(List.of(), publisher.published());
    }

    @Test
    void shouldRefuseWith401AndPublishNothing_whenTheSignatureIsWrong() throws Exception {
        APIGatewayV2HTTPResponse response = send("push-wrong-signature");

        assertEquals(401, response.getStatusCode());
        assertEquals("invalid_signature", body(response).get("error").asText());
        assertFalse(response.getBody().contains(CURRENT_SECRET), "the secret must never be echoed");
        assertEquals(List.of(), publisher.published());
    }

    @Test
    void shouldRefuseWith401_whenTheSignatureIsMissing() throws Exception {
        APIGatewayV2HTTPResponse response = send("push-missing-signature");

        assertEquals(401, response.getStatusCode());
        assertEquals("missing_signature", body(response).get("error").asText());
    }

    @Test
    void shouldRefuseWith401_whenTheBodyWasAlteredAfterSigning() {
        APIGatewayV2HTTPEvent event = load("push-json");
        event.setBody(event.getBody().replace("refs/heads/main", "refs/heads/evil"));

        assertEquals(401, send(event).getStatusCode());
        assertEquals(List.of(), publisher.published());
    }

    @Test
    void shouldPublishOnceAndAnswerDuplicate_whenTheSameDeliveryArrivesTwice() throws Exception {
        send("push-json");

        APIGatewayV2HTTPResponse again = send("push-json");

        assertEquals(200, again.getStatusCode());
        assertTrue(body(again).get("duplicate").asBoolean());
        assertEquals(1, publisher.published().size());
    }

    @Test
    void shouldAnswerPingWithItsZen_whenGithubPings() throws Exception {
        APIGatewayV2HTTPResponse response = send("ping");

        assertEquals(200, response.getStatusCode());
        assertTrue(body(response).get("ok").asBoolean());
        assertEquals("Design for failure.", body(response).get("zen").asText());
        assertEquals(List.of(), publisher.published());
    }

    @Test
    void shouldIgnoreWith202_whenTheEventIsNeitherPushNorPullRequest() throws Exception {
        APIGatewayV2HTTPResponse response = send("issues-ignored");

        assertEquals(202, response.getStatusCode());
        assertTrue(body(response).get("ignored").asBoolean());
        assertEquals(List.of(), publisher.published());
    }

    @Test
    void shouldRefuseWith413BeforeCheckingAnything_whenTheBodyIsOver1MiB() throws Exception {
        APIGatewayV2HTTPEvent event = load("push-json");
        event.setBody("{\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}");

        APIGatewayV2HTTPResponse response = send(event);

        assertEquals(413, response.getStatusCode());
        assertEquals("payload_too_large", body(response).get("error").asText());
    }

    @Test
    void shouldRefuseWith400NamingThePosition_whenTheJsonIsMalformed() throws Exception {
        APIGatewayV2HTTPResponse response = send("malformed-body");

        assertEquals(400, response.getStatusCode());
        String message = body(response).get("message").asText();
        assertTrue(message.startsWith("the payload is not valid JSON at line 1, column "), message);
        assertFalse(message.contains("Exception"), message);
    }

    @Test
    void shouldRefuseWith400NamingTheFields_whenThePushLacksRequiredFields() throws Exception {
        APIGatewayV2HTTPResponse response = send("push-missing-fields");

        assertEquals(400, response.getStatusCode());
        assertEquals("the push payload has missing or invalid fields: repository.clone_url, after",
                body(response).get("message").asText());
        assertEquals(List.of(), publisher.published());
    }

    @Test
    void shouldRefuseWith415_whenTheContentTypeIsNeitherJsonNorForm() {
        assertEquals(415, send("unsupported-content-type").getStatusCode());
    }

    @Test
    void shouldRefuseWith400_whenTheEventHeaderIsMissing() throws Exception {
        APIGatewayV2HTTPResponse response = send("missing-event-header");

        assertEquals(400, response.getStatusCode());
        assertEquals("the X-GitHub-Event header is missing", body(response).get("message").asText());
    }

    @Test
    void shouldRefuseWith400_whenTheDeliveryHeaderIsMissing() throws Exception {
        APIGatewayV2HTTPResponse response = send("missing-delivery-header");

        assertEquals(400, response.getStatusCode());
        assertEquals("the X-GitHub-Delivery header is missing", body(response).get("message").asText());
    }

    @Test
    void shouldRefuseWith400_whenTheBase64BodyIsNotBase64() {
        APIGatewayV2HTTPEvent event = load("push-base64");
        event.setBody("%%% not base64 %%%");

        assertEquals(400, send(event).getStatusCode());
    }

    @Test
    void shouldAnswer503AndAcceptTheRetry_whenPublishingFailsOnce() throws Exception {
        publisher.failNext(1);

        APIGatewayV2HTTPResponse failed = send("push-json");
        APIGatewayV2HTTPResponse retried = send("push-json");

        assertEquals(503, failed.getStatusCode());
        assertEquals("unavailable", body(failed).get("error").asText());
        assertEquals(202, retried.getStatusCode(), "the failed delivery must have been forgotten");
        assertEquals(1, publisher.published().size());
    }
}
