package io.hybridci.core.deadletter;

import io.hybridci.core.deadletter.DeadLetters.Listing;
import io.hybridci.core.deadletter.DeadLetters.MessageView;
import io.hybridci.core.port.DeadLetterReader.RawMessage;
import io.hybridci.core.port.inmemory.InMemoryDeadLetterReader;
import io.hybridci.core.security.TokenKind;
import io.hybridci.core.security.Tokens;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadLettersTest {

    private static final Instant SENT = Instant.parse("2026-12-02T10:00:00Z");
    private static final DeadLetterQueue JOBS_DLQ = new DeadLetterQueue("jobs-default-dlq", "queue-redrive", "jobs-default");
    private static final DeadLetterQueue BUS_DLQ = new DeadLetterQueue("bus-targets-dlq", "bus-targets",
            "rule and schedule targets of bus hybridci");

    private final InMemoryDeadLetterReader reader = new InMemoryDeadLetterReader().queue(JOBS_DLQ.name()).queue(BUS_DLQ.name());
    private final DeadLetters deadLetters = new DeadLetters(List.of(JOBS_DLQ, BUS_DLQ), reader);

    private static RawMessage message(String id, Map<String, String> attributes, String body) {
        return new RawMessage(id, SENT, 5, attributes, body);
    }

    @Test
    void shouldListEveryQueueInOrderWithCountsAndMessages_whenNoQueueIsNamed() {
        reader.add("bus-targets-dlq", message("m-1", Map.of("RULE_ARN", "arn:aws:events:us-east-1:1:rule/hybridci/github-push",
                "ERROR_CODE", "ERROR_FROM_TARGET"), "{\"id\":\"e-1\",\"detail\":{\"ref\":7}}"));

        Listing.Listed listed = assertInstanceOf(Listing.Listed.class, deadLetters.list(Optional.empty(), 10));

        assertEquals(List.of("jobs-default-dlq", "bus-targets-dlq"), listed.queues().stream().map(view -> view.queue().name()).toList());
        assertEquals(Map.of("jobs-default-dlq", 0L, "bus-targets-dlq", 1L), listed.counts());
        MessageView shown = listed.queues().get(1).messages().getFirst();
        assertEquals("m-1", shown.messageId());
        assertEquals(SENT, shown.sentAt());
        assertEquals(6, shown.receiveCount(), "the peek itself is a receive");
        assertEquals("ERROR_FROM_TARGET", shown.attributes().get("ERROR_CODE"));
        assertEquals("{\"id\":\"e-1\",\"detail\":{\"ref\":7}}", shown.body(), "a body without secrets is shown as sent");
        assertFalse(shown.bodyTruncated());
    }

    @Test
    void shouldShowOnlyTheNamedQueue_whenOneIsAskedFor() {
        Listing.Listed listed = assertInstanceOf(Listing.Listed.class, deadLetters.list(Optional.of("jobs-default-dlq"), 10));

        assertEquals(List.of(JOBS_DLQ), listed.queues().stream().map(DeadLetters.QueueView::queue).toList());
    }

    @Test
    void shouldNameTheKnownQueues_whenTheQueueIsUnknown() {
        Listing.UnknownQueue unknown = assertInstanceOf(Listing.UnknownQueue.class,
                deadLetters.list(Optional.of("jobs-default"), 10));

        assertEquals("jobs-default", unknown.name());
        assertEquals(List.of("jobs-default-dlq", "bus-targets-dlq"), unknown.known());
    }

    @Test
    void shouldPeekAtMostTheLimit_whenTheQueueHoldsMore() {
        for (int i = 0; i < 12; i++) {
            reader.add("jobs-default-dlq", message("m-" + i, Map.of(), "{}"));
        }

        Listing.Listed listed = assertInstanceOf(Listing.Listed.class, deadLetters.list(Optional.of("jobs-default-dlq"), 3));

        assertEquals(12, listed.queues().getFirst().approximateMessages());
        assertEquals(3, listed.queues().getFirst().messages().size());
        assertThrows(IllegalArgumentException.class, () -> deadLetters.list(Optional.empty(), 11));
        assertThrows(IllegalArgumentException.class, () -> deadLetters.list(Optional.empty(), 0));
    }

    @Test
    void shouldTruncateTheBodyToFourKibOnACharacterBoundary_whenTheBodyIsLonger() {
        String body = "é".repeat(3000); // 2 bytes each: 6,000 bytes
        reader.add("jobs-default-dlq", message("m-big", Map.of(), body));

        MessageView shown = only(deadLetters.list(Optional.of("jobs-default-dlq"), 10));

        assertTrue(shown.bodyTruncated());
        assertEquals(6000, shown.bodyBytes());
        assertEquals(4096, shown.body().getBytes(StandardCharsets.UTF_8).length);
        assertEquals("é".repeat(2048), shown.body());
    }

    @Test
    void shouldNeverSplitASurrogatePair_whenTruncating() {
        String text = "a" + "😀".repeat(2000); // 1 + 4 bytes each

        String cut = DeadLetterRedaction.truncateUtf8(text, 4096);

        assertEquals(1 + 4 * 1023, cut.getBytes(StandardCharsets.UTF_8).length);
        assertFalse(Character.isHighSurrogate(cut.charAt(cut.length() - 1)));
    }

    @Test
    void shouldRedactTokensAndSecretNamedFields_whenABodyCarriesThem() {
        String session = Tokens.generate(TokenKind.AGENT_SESSION).reveal();
        String job = Tokens.generate(TokenKind.JOB).reveal();
        String body = "{\"type\":\"log\",\"jobId\":\"j-1\",\"text\":\"echo " + session + "\","
                + "\"signingKey\":\"c2VjcmV0LWtleQ\",\"nested\":{\"webhookSecret\":\"s3cr3t\",\"list\":[{\"password\":\"p\"}]}}";
        reader.add("jobs-default-dlq", message("m-secret", Map.of("hybridci-signature", "ab12", "x-token", job,
                "note", "see " + job), body));

        MessageView shown = only(deadLetters.list(Optional.of("jobs-default-dlq"), 10));

        for (String secret : List.of(session, job, "c2VjcmV0LWtleQ", "s3cr3t", "\"p\"")) {
            assertFalse(shown.body().contains(secret), secret + " in " + shown.body());
            assertFalse(shown.attributes().toString().contains(secret), secret + " in " + shown.attributes());
        }
        assertTrue(shown.body().contains("echo hca_[redacted]"), shown.body());
        assertTrue(shown.body().contains("\"signingKey\":\"[redacted]\""), shown.body());
        assertEquals("ab12", shown.attributes().get("hybridci-signature"), "an HMAC is no secret");
        assertEquals("[redacted]", shown.attributes().get("x-token"));
        assertEquals("see hcj_[redacted]", shown.attributes().get("note"));
    }

    @Test
    void shouldRedactATokenBeforeTruncating_whenTheLimitFallsInsideIt() {
        String token = Tokens.generate(TokenKind.REGISTRATION).reveal();
        String body = "x".repeat(4090) + token;
        reader.add("jobs-default-dlq", message("m-edge", Map.of(), body));

        MessageView shown = only(deadLetters.list(Optional.of("jobs-default-dlq"), 10));

        assertFalse(shown.body().contains(token.substring(0, 6 + 4)), "no part of the token beyond its prefix");
        assertTrue(shown.bodyTruncated());
    }

    @Test
    void shouldRedactTokensInABodyThatIsNotJson_whenTheBodyIsText() {
        String token = Tokens.generate(TokenKind.AGENT_SESSION).reveal();

        assertEquals("Authorization: Bearer hca_[redacted] trailing", DeadLetterRedaction.body("Authorization: Bearer " + token + " trailing"));
        assertEquals("hca_short", DeadLetterRedaction.body("hca_short"), "too short to be a token");
    }

    private static MessageView only(Listing listing) {
        Listing.Listed listed = assertInstanceOf(Listing.Listed.class, listing);
        assertEquals(1, listed.queues().getFirst().messages().size());
        return listed.queues().getFirst().messages().getFirst();
    }
}
