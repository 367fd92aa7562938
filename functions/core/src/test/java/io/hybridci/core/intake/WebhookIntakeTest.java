package io.hybridci.core.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.github.GithubPayloads;
import io.hybridci.core.port.inmemory.InMemoryDeliveryLog;
import io.hybridci.core.port.inmemory.RecordingEventPublisher;
import io.hybridci.core.port.inmemory.StaticSecretSource;
import io.hybridci.core.security.Hmac;
import io.hybridci.core.security.Secret;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The use case's decisions that the handler's fixture tests do not reach. */
class WebhookIntakeTest {

    private static final String SECRET = "test-webhook-secret";
    private static final String DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

    private final InMemoryDeliveryLog deliveries = new InMemoryDeliveryLog();
    private final RecordingEventPublisher publisher = new RecordingEventPublisher();

    private WebhookIntake intake(DetailValidator validator, List<String> secrets) {
        return new WebhookIntake(new StaticSecretSource(secrets, List.of()), deliveries, publisher, validator,
                Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC));
    }

    private static WebhookRequest signed(String contentType, String delivery, byte[] body) {
        return new WebhookRequest(Map.of("content-type", contentType, "x-github-event", "push",
                "x-github-delivery", delivery, "X-HUB-SIGNATURE-256", Hmac.webhookSignature(Secret.of(SECRET), body)), body);
    }

    private static byte[] push() {
        return GithubPayloads.load("push").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldAnswer400WithTheSchemaProblems_whenTheNormalizedDetailBreaksTheSchema() {
        DetailValidator rejecting = (schema, json) -> List.of("$.ref: must match \"^refs/\"");

        WebhookResponse response = intake(rejecting, List.of(SECRET)).handle(signed("application/json", DELIVERY, push()));

        assertEquals(400, response.status());
        assertTrue(response.jsonBody().contains("does not fit github-push: $.ref: must match"), response.jsonBody());
        assertEquals(List.of(), publisher.published());
        assertTrue(deliveries.firstDelivery(DELIVERY, Instant.EPOCH, Instant.EPOCH), "no dedup record for a refused delivery");
    }

    @Test
    void shouldRefuseEverySignature_whenNoSecretIsConfigured() {
        WebhookResponse response = intake(DetailValidator.ACCEPT_ALL, List.of(""))
                .handle(signed("application/json", DELIVERY, push()));

        assertEquals(401, response.status());
    }

    @Test
    void shouldAnswer400_whenTheDeliveryIdIsNotAGithubDeliveryId() {
        WebhookResponse response = intake(DetailValidator.ACCEPT_ALL, List.of(SECRET))
                .handle(signed("application/json", "../../etc/passwd", push()));

        assertEquals(400, response.status());
        assertTrue(response.jsonBody().contains("X-GitHub-Delivery"), response.jsonBody());
    }

    @Test
    void shouldAnswer400_whenTheFormHasNoPayloadField() {
        byte[] form = ("other=" + URLEncoder.encode("{}", StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);

        WebhookResponse response = intake(DetailValidator.ACCEPT_ALL, List.of(SECRET))
                .handle(signed("application/x-www-form-urlencoded; charset=utf-8", DELIVERY, form));

        assertEquals(400, response.status());
        assertTrue(response.jsonBody().contains("no payload field"), response.jsonBody());
    }

    @Test
    void shouldAnswer400_whenThePayloadIsJsonButNotAnObject() {
        WebhookResponse response = intake(DetailValidator.ACCEPT_ALL, List.of(SECRET))
                .handle(signed("application/json", DELIVERY, "[1,2]".getBytes(StandardCharsets.UTF_8)));

        assertEquals(400, response.status());
        assertFalse(response.jsonBody().contains("Exception"));
    }

    @Test
    void shouldAnswer400_whenAKeyIsRepeated() {
        byte[] body = "{\"ref\":\"refs/heads/a\",\"ref\":\"refs/heads/b\"}".getBytes(StandardCharsets.UTF_8);

        WebhookResponse response = intake(DetailValidator.ACCEPT_ALL, List.of(SECRET))
                .handle(signed("application/json", DELIVERY, body));

        assertEquals(400, response.status());
        assertTrue(response.jsonBody().contains("Duplicate field"), response.jsonBody());
    }
}
