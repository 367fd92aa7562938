package io.hybridci.rotator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.port.SecretVersions;
import io.hybridci.core.port.inmemory.InMemoryCredentialStore;
import io.hybridci.core.port.inmemory.InMemorySecretVersions;
import io.hybridci.core.rotation.MovableClock;
import io.hybridci.core.rotation.RotationFailure;
import io.hybridci.core.rotation.SecretRotation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The handler on the Secrets Manager event fixture, over in-memory secret versions. */
class SecretRotatorHandlerTest {

    private static final String TOKEN = "0d5e0a43-8b5c-4a8e-9f5e-6c0f3c1a2b11";
    private static final String WEBHOOK = "hybridci/github-webhook";

    private final Clock clock = Clock.fixed(Instant.parse("2025-05-01T08:00:00Z"), ZoneOffset.UTC);
    private final InMemorySecretVersions versions = new InMemorySecretVersions(clock);
    private final InMemoryCredentialStore credentials = new InMemoryCredentialStore();
    private final SecretRotatorHandler handler = new SecretRotatorHandler(SecretRotatorHandler.rotation(versions,
            credentials, credentials, new RotatorConfig(Duration.ofHours(24)), clock));

    SecretRotatorHandlerTest() {
        versions.create(WEBHOOK, "v-1", "old-webhook-secret-0123456789abcdef0123");
        versions.putPending(WEBHOOK, TOKEN, null);  // as RotateSecret does before createSecret
    }

    private String invoke(InputStream event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(event, out, null);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static InputStream fixture() {
        return SecretRotatorHandlerTest.class.getResourceAsStream("/events/secretsmanager/create-secret.json");
    }

    @Test
    void shouldCreateThePendingValueOnce_whenCreateSecretArrivesTwice() throws IOException {
        String first = invoke(fixture());
        String value = versions.valueOf(WEBHOOK, TOKEN).orElseThrow();
        String second = invoke(fixture());

        assertTrue(first.contains("createSecret"), first);
        assertTrue(second.contains("already done"), second);
        assertEquals(value, versions.valueOf(WEBHOOK, TOKEN).orElseThrow());
        assertFalse(first.contains(value) || second.contains(value), "the answer never carries the value");
        assertEquals(Set.of(SecretVersions.CURRENT), versions.describe(WEBHOOK).orElseThrow().version("v-1")
                .orElseThrow().stages());
    }

    @Test
    void shouldFail_whenTheStepIsUnknown() {
        String event = "{\"Step\":\"dropSecret\",\"SecretId\":\"" + WEBHOOK + "\",\"ClientRequestToken\":\"" + TOKEN + "\"}";

        assertThrows(RotationFailure.class,
                () -> invoke(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void shouldHoldTheWebhookRotation_whenFinishSecretRunsWithinTheGracePeriod() throws IOException {
        invoke(fixture());
        String finish = "{\"Step\":\"finishSecret\",\"SecretId\":\"" + WEBHOOK + "\",\"ClientRequestToken\":\"" + TOKEN + "\"}";

        String answer = invoke(new ByteArrayInputStream(finish.getBytes(StandardCharsets.UTF_8)));

        assertTrue(answer.contains("held"), answer);
        assertTrue(versions.describe(WEBHOOK).orElseThrow().version("v-1").orElseThrow().stages()
                .contains(SecretVersions.CURRENT));
    }

    @Test
    void shouldFinishTheHeldRotationOnlyOnceTheGracePeriodIsOver_whenTheScheduleFires() throws IOException {
        MovableClock moving = new MovableClock(Instant.parse("2025-05-01T08:00:00Z"));
        InMemorySecretVersions held = new InMemorySecretVersions(moving);
        held.create(WEBHOOK, "v-1", "old-webhook-secret-0123456789abcdef0123");
        SecretRotation rotation = SecretRotatorHandler.rotation(held, credentials, credentials,
                new RotatorConfig(Duration.ofHours(24)), moving);
        SecretRotatorHandler rotator = new SecretRotatorHandler(rotation);
        String begun = rotation.begin(WEBHOOK).versionId();

        moving.advance(Duration.ofHours(23).plusMinutes(59));
        String early = invoke(rotator, schedule());
        moving.advance(Duration.ofMinutes(1));
        String due = invoke(rotator, schedule());
        String again = invoke(rotator, schedule());

        assertTrue(early.contains("finished 0"), early);
        assertTrue(due.contains("finished 1"), due);
        assertTrue(again.contains("finished 0"), again);
        assertEquals(Set.of(SecretVersions.CURRENT), held.describe(WEBHOOK).orElseThrow().version(begun)
                .orElseThrow().stages());
    }

    private static String invoke(SecretRotatorHandler rotator, InputStream event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        rotator.handleRequest(event, out, null);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static InputStream schedule() {
        return SecretRotatorHandlerTest.class.getResourceAsStream("/events/eventbridge/rotation-grace-schedule.json");
    }
}
