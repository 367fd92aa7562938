package io.hybridci.aws.sqs;

import io.hybridci.core.deadletter.DeadLetterRedaction;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The text limits of what job-updater keeps: a copy SQS would refuse would block the message's group. */
class SqsRejectedMessageQueueTest {

    @Test
    void shouldKeepTheWholeBody_whenItFits() {
        String body = "{\"type\":\"log\",\"chunk\":\"\u05d0\ud83d\udca5\"}";

        assertEquals(body, DeadLetterRedaction.truncateUtf8(body, 1024));
    }

    @Test
    void shouldCutOnAWholeCodePoint_whenTheBodyIsOverTheLimitInBytes() {
        String body = "ab" + "\ud83d\udca5".repeat(10);  // 2 + 10 x 4 bytes

        String kept = DeadLetterRedaction.truncateUtf8(body, 13);

        assertEquals("ab" + "\ud83d\udca5".repeat(2), kept, "10 bytes of 13: a third emoji would need 4 more");
        assertTrue(kept.getBytes(StandardCharsets.UTF_8).length <= 13);
        assertFalse(Character.isHighSurrogate(kept.charAt(kept.length() - 1)));
    }

    @Test
    void shouldCutAtTheLimitInBytes_whenTheBodyIsTheChaosRunsOversizedLog() {
        String body = "x".repeat(300 * 1024);

        assertEquals(SqsRejectedMessageQueue.MAX_BODY_BYTES,
                DeadLetterRedaction.truncateUtf8(body, SqsRejectedMessageQueue.MAX_BODY_BYTES).length());
    }

    @Test
    void shouldNotSplitASurrogatePair_whenTheDetailIsCut() {
        String detail = "a".repeat(9) + "\ud83d\udca5";

        assertEquals("a".repeat(9), SqsRejectedMessageQueue.prefix(detail, 10));
        assertEquals(detail, SqsRejectedMessageQueue.prefix(detail, 11));
    }

    @Test
    void shouldReplaceCharactersSqsRefuses_whenTheDetailQuotesADecodedNul() {
        assertEquals("agentId \ufffd is not a valid id\ttab", SqsRejectedMessageQueue.sqsCharacters("agentId \u0000 is not a valid id\ttab"));
        assertEquals("\u202e\ud83d\udca5\u4e2d", SqsRejectedMessageQueue.sqsCharacters("\u202e\ud83d\udca5\u4e2d"));
        assertEquals("\ufffd", SqsRejectedMessageQueue.sqsCharacters("\ud800"), "a lone surrogate");
    }
}
