package io.hybridci.core.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.port.SecretVersions;
import io.hybridci.core.port.inmemory.InMemoryCredentialStore;
import io.hybridci.core.port.inmemory.InMemorySecretVersions;
import io.hybridci.core.security.Hmac;
import io.hybridci.core.security.Secret;
import io.hybridci.core.security.SignatureCheck;
import io.hybridci.core.security.TokenKind;
import io.hybridci.core.security.Tokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretRotationTest {

    private static final String WEBHOOK = "hybridci/github-webhook";
    private static final String REGTOKEN = "hybridci/registration-token";
    private static final String WEBHOOK_ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:" + WEBHOOK + "-AbCdEf";
    private static final String OLD_WEBHOOK = "old-webhook-secret-0123456789abcdef0123456789";
    private static final String TOKEN = "11111111-1111-4111-8111-111111111111";
    private static final Duration GRACE = Duration.ofHours(6);

    private final MovableClock clock = new MovableClock(Instant.parse("2025-05-01T08:00:00Z"));
    private final InMemorySecretVersions versions = new InMemorySecretVersions(clock);
    private final InMemoryCredentialStore credentials = new InMemoryCredentialStore();
    private final String oldRegistrationToken = Tokens.generate(TokenKind.REGISTRATION).reveal();
    private final SecretRotation rotation;

    SecretRotationTest() {
        versions.create(WEBHOOK, "v-1", OLD_WEBHOOK);
        versions.create(REGTOKEN, "r-1", oldRegistrationToken);
        new RotatedSecret.RegistrationTokenSecret(REGTOKEN, credentials, credentials, clock).set(oldRegistrationToken);
        rotation = new SecretRotation(versions, List.of(new RotatedSecret.WebhookSecret(WEBHOOK),
                new RotatedSecret.RegistrationTokenSecret(REGTOKEN, credentials, credentials, clock)), GRACE, clock);
    }

    /** What Secrets Manager does before createSecret: an empty version labelled AWSPENDING. */
    private void startRotation(String secret, String token) {
        versions.putPending(secret, token, null);
    }

    private Set<String> stages(String secret, String versionId) {
        return versions.describe(secret).orElseThrow().version(versionId).orElseThrow().stages();
    }

    private List<String> verifyingWebhookSecrets() {
        // What SecretsManagerSecretSource reads: AWSCURRENT, then AWSPENDING if different.
        var described = versions.describe(WEBHOOK).orElseThrow();
        List<String> accepted = new ArrayList<>();
        for (String stage : List.of(SecretVersions.CURRENT, SecretVersions.PENDING)) {
            described.withStage(stage).flatMap(v -> versions.valueOf(WEBHOOK, v.versionId()))
                    .filter(value -> !accepted.contains(value)).ifPresent(accepted::add);
        }
        return accepted;
    }

    private static SignatureCheck verify(List<String> accepted, String signedWith) {
        byte[] body = "{\"zen\":\"rotate\"}".getBytes(StandardCharsets.UTF_8);
        return Hmac.verifyWebhook(accepted.stream().map(Secret::of).toList(), body,
                Hmac.webhookSignature(Secret.of(signedWith), body));
    }

    @Test
    void shouldGiveTheSameResult_whenEveryStepRunsTwice() {
        startRotation(WEBHOOK, TOKEN);
        List<StepOutcome> outcomes = new ArrayList<>();
        for (RotationStep step : List.of(RotationStep.CREATE_SECRET, RotationStep.SET_SECRET, RotationStep.TEST_SECRET)) {
            outcomes.add(rotation.run(step, WEBHOOK_ARN, TOKEN));
            Optional<String> afterFirst = versions.valueOf(WEBHOOK, TOKEN);
            Set<String> stagesAfterFirst = stages(WEBHOOK, TOKEN);
            outcomes.add(rotation.run(step, WEBHOOK_ARN, TOKEN));
            assertEquals(afterFirst, versions.valueOf(WEBHOOK, TOKEN), step + " twice changed the pending value");
            assertEquals(stagesAfterFirst, stages(WEBHOOK, TOKEN), step + " twice changed the labels");
        }
        clock.advance(GRACE);
        rotation.run(RotationStep.FINISH_SECRET, WEBHOOK_ARN, TOKEN);
        StepOutcome again = rotation.run(RotationStep.FINISH_SECRET, WEBHOOK_ARN, TOKEN);

        assertInstanceOf(StepOutcome.Done.class, outcomes.getFirst());
        assertInstanceOf(StepOutcome.AlreadyDone.class, outcomes.get(1), "createSecret twice creates once");
        assertInstanceOf(StepOutcome.AlreadyDone.class, again);
        assertEquals(Set.of(SecretVersions.CURRENT), stages(WEBHOOK, TOKEN));
        assertEquals(Set.of(SecretVersions.PREVIOUS), stages(WEBHOOK, "v-1"));
    }

    @Test
    void shouldLeaveCurrentInPlace_whenTestSecretFails() {
        versions.putPending(WEBHOOK, TOKEN, "short");

        assertThrows(RotationFailure.class, () -> rotation.run(RotationStep.TEST_SECRET, WEBHOOK_ARN, TOKEN));

        assertEquals(Set.of(SecretVersions.CURRENT), stages(WEBHOOK, "v-1"));
        assertEquals(Set.of(SecretVersions.PENDING), stages(WEBHOOK, TOKEN));
    }

    @Test
    void shouldNotNameTheValue_whenTestSecretFails() {
        versions.putPending(WEBHOOK, TOKEN, "a value with spaces that is long enough to pass the length");

        RotationFailure failure = assertThrows(RotationFailure.class,
                () -> rotation.run(RotationStep.TEST_SECRET, WEBHOOK_ARN, TOKEN));

        assertFalse(failure.getMessage().contains("spaces that"), failure.getMessage());
    }

    @Test
    void shouldHoldTheWebhookRotation_whenFinishSecretRunsBeforeTheGracePeriod() {
        startRotation(WEBHOOK, TOKEN);
        rotation.run(RotationStep.CREATE_SECRET, WEBHOOK_ARN, TOKEN);

        StepOutcome outcome = rotation.run(RotationStep.FINISH_SECRET, WEBHOOK_ARN, TOKEN);

        assertInstanceOf(StepOutcome.Held.class, outcome);
        assertEquals(Set.of(SecretVersions.CURRENT), stages(WEBHOOK, "v-1"));
    }

    @Test
    void shouldAcceptBothSecretsDuringTheRotationAndOnlyTheNewAfter_whenAnAdminRotatesAndFinishes() {
        BegunRotation begun = rotation.begin(WEBHOOK);
        String newSecret = begun.pendingValue().reveal();

        assertEquals(SignatureCheck.VALID, verify(verifyingWebhookSecrets(), OLD_WEBHOOK));
        assertEquals(SignatureCheck.VALID, verify(verifyingWebhookSecrets(), newSecret));
        assertEquals(clock.instant().plus(GRACE), begun.finishBy());

        rotation.finish(WEBHOOK);

        assertEquals(SignatureCheck.MISMATCH, verify(verifyingWebhookSecrets(), OLD_WEBHOOK));
        assertEquals(SignatureCheck.VALID, verify(verifyingWebhookSecrets(), newSecret));
    }

    @Test
    void shouldReturnThePendingValue_whenARotationIsAlreadyUnderWay() {
        BegunRotation first = rotation.begin(WEBHOOK);

        BegunRotation second = rotation.begin(WEBHOOK);

        assertTrue(second.alreadyPending());
        assertEquals(first.versionId(), second.versionId());
        assertEquals(first.pendingValue().reveal(), second.pendingValue().reveal());
    }

    @Test
    void shouldFinishOnlyOverdueRotations_whenTheGracePeriodRuns() {
        BegunRotation begun = rotation.begin(WEBHOOK);
        clock.advance(GRACE.minusSeconds(1));
        assertEquals(List.of(), rotation.finishOverdue());

        clock.advance(Duration.ofSeconds(1));
        List<StepOutcome> finished = rotation.finishOverdue();

        assertEquals(1, finished.size());
        assertEquals(Set.of(SecretVersions.CURRENT), stages(WEBHOOK, begun.versionId()));
        assertEquals(List.of(), rotation.finishOverdue(), "a second run finds nothing left");
    }

    @Test
    void shouldFinishTheRegistrationTokenRotationAndRevokeTheOldToken_whenAllFourStepsRun() {
        startRotation(REGTOKEN, TOKEN);
        for (RotationStep step : RotationStep.values()) {
            rotation.run(step, REGTOKEN, TOKEN);
        }
        String newToken = versions.valueOf(REGTOKEN, TOKEN).orElseThrow();

        assertNotEquals(oldRegistrationToken, newToken);
        assertEquals(Set.of(SecretVersions.CURRENT), stages(REGTOKEN, TOKEN));
        assertTrue(credentials.registrationTokenByHash(Tokens.sha256Hex(newToken)).orElseThrow().validAt(clock.instant()));
        assertTrue(credentials.registrationTokenByHash(Tokens.sha256Hex(oldRegistrationToken)).orElseThrow().revoked());
    }

    @Test
    void shouldFailTestSecret_whenTheRegistrationTokenWasNotSet() {
        startRotation(REGTOKEN, TOKEN);
        rotation.run(RotationStep.CREATE_SECRET, REGTOKEN, TOKEN);

        RotationFailure failure = assertThrows(RotationFailure.class,
                () -> rotation.run(RotationStep.TEST_SECRET, REGTOKEN, TOKEN));

        assertTrue(failure.getMessage().contains("not stored"), failure.getMessage());
        assertEquals(Set.of(SecretVersions.CURRENT), stages(REGTOKEN, "r-1"));
    }

    @Test
    void shouldRefuse_whenTheTokenIsNotAPendingVersion() {
        assertThrows(RotationFailure.class, () -> rotation.run(RotationStep.CREATE_SECRET, WEBHOOK, "no-such-version"));
        assertThrows(RotationFailure.class, () -> rotation.run(RotationStep.CREATE_SECRET, "hybridci/unknown", TOKEN));
    }
}
