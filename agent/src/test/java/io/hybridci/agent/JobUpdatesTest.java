package io.hybridci.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.core.security.Hmac;
import io.hybridci.core.security.Secret;
import io.hybridci.core.security.SignatureCheck;
import io.hybridci.schema.SchemaNames;
import io.hybridci.schema.SchemaValidator;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobUpdatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Secret KEY = Secret.of("c2lnbmluZy1rZXktb2YtdGhlLWFnZW50LTMyLWJ5dGVzIQ==");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC);

    private final List<SignedMessage> sent = new ArrayList<>();
    private final AtomicReference<Session> session =
            new AtomicReference<>(new Session("a-7f3c9d", Secret.of("hca_token"), KEY));

    private JobUpdates updates() {
        return new JobUpdates("j-01JNQ8Z3M2B7", 2, session::get, supplier -> sent.add(supplier.get()), JSON, CLOCK);
    }

    @Test
    void shouldSendValidSignedMessagesInSeqOrder_whenAJobRuns() throws Exception {
        JobUpdates updates = updates();

        updates.started(CLOCK.instant());
        updates.log("hello\n", 0);
        updates.finished(-1, "SIGTERM", CLOCK.instant());

        assertEquals(3, sent.size());
        String[] schemas = {SchemaNames.AGENT_STARTED, SchemaNames.AGENT_LOG, SchemaNames.AGENT_FINISHED};
        for (int seq = 0; seq < 3; seq++) {
            SignedMessage m = sent.get(seq);
            JsonNode body = JSON.readTree(m.body());
            assertEquals(seq, body.get("seq").asInt());
            assertEquals(2, body.get("attempt").asInt());
            assertEquals("a-7f3c9d", body.get("agentId").asText());
            assertEquals("j-01JNQ8Z3M2B7", m.groupId());
            assertEquals("j-01JNQ8Z3M2B7-" + seq, m.deduplicationId());
            assertEquals(SignatureCheck.VALID, Hmac.verifyAgentMessage(KEY, m.timestamp(), m.body(), m.signature()));
            var validation = SchemaValidator.shared().validate(schemas[seq], m.body());
            assertTrue(validation.valid(), () -> m.body() + " " + validation.errors());
        }
        JsonNode finished = JSON.readTree(sent.get(2).body());
        assertEquals(-1, finished.get("exitStatus").asInt());
        assertEquals("SIGTERM", finished.get("signal").asText());
    }

    @Test
    void shouldSendValidDeployPhases_whenADeployJobReportsThem() throws Exception {
        JobUpdates updates = updates();

        updates.deploy("verifying", null);
        updates.deploy("rolled_back", "health_check_failed");

        for (SignedMessage m : sent) {
            var validation = SchemaValidator.shared().validate(SchemaNames.AGENT_DEPLOY, m.body());
            assertTrue(validation.valid(), () -> m.body() + " " + validation.errors());
            assertEquals(SignatureCheck.VALID, Hmac.verifyAgentMessage(KEY, m.timestamp(), m.body(), m.signature()));
        }
        JsonNode rolledBack = JSON.readTree(sent.get(1).body());
        assertEquals("deploy", rolledBack.get("type").asText());
        assertEquals("rolled_back", rolledBack.get("phase").asText());
        assertEquals("health_check_failed", rolledBack.get("reason").asText());
        assertEquals(1, rolledBack.get("seq").asInt());
    }

    @Test
    void shouldFailVerification_whenTheBodyOrKeyDiffers() throws Exception {
        updates().started(CLOCK.instant());
        SignedMessage m = sent.getFirst();

        assertEquals(SignatureCheck.MISMATCH, Hmac.verifyAgentMessage(KEY, m.timestamp(), m.body().replace("\"seq\":0", "\"seq\":1"), m.signature()));
        assertEquals(SignatureCheck.MISMATCH, Hmac.verifyAgentMessage(Secret.of("other"), m.timestamp(), m.body(), m.signature()));
    }

    @Test
    void shouldSignWithTheNewKey_whenTheSessionChangesMidJob() throws Exception {
        JobUpdates updates = updates();
        updates.started(CLOCK.instant());
        Secret newKey = Secret.of("bmV3LWtleQ==");
        session.set(new Session("a-7f3c9d", Secret.of("hca_new"), newKey));

        updates.finished(0, null, CLOCK.instant());

        SignedMessage last = sent.getLast();
        assertEquals(SignatureCheck.VALID, Hmac.verifyAgentMessage(newKey, last.timestamp(), last.body(), last.signature()));
        assertTrue(JSON.readTree(last.body()).get("signal").isNull());
    }

    @Test
    void shouldKeepTheSameDedupIdAndSeq_whenTheSenderRetries() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<SignedMessage> attempts = new ArrayList<>();
        JobUpdates updates = new JobUpdates("j-1", 1, session::get, supplier -> {
            attempts.add(supplier.get());
            attempts.add(supplier.get());
            calls.incrementAndGet();
        }, JSON, CLOCK);

        updates.started(CLOCK.instant());
        updates.finished(0, null, CLOCK.instant());

        assertEquals(2, calls.get());
        assertEquals(attempts.get(0).deduplicationId(), attempts.get(1).deduplicationId());
        assertEquals(attempts.get(0).body(), attempts.get(1).body());
        assertNotEquals(attempts.get(1).deduplicationId(), attempts.get(2).deduplicationId());
        assertEquals("j-1-1", attempts.get(2).deduplicationId());
    }
}
