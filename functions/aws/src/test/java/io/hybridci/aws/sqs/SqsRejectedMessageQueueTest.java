package io.hybridci.aws.sqs;

import io.hybridci.core.deadletter.DeadLetterRedaction;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The text limits of what job-updater keeps: a copy SQS would refuse would block the message's group. */
class SqsRejectedMessageQueueTest {

    // How the body is cut (whole characters, never half a surrogate pair) is core's: DeadLettersTest.

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
