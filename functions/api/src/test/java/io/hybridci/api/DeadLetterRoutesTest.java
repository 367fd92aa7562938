package io.hybridci.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.api.ApiTestBed.Answer;
import io.hybridci.core.agentapi.AgentApiSettings;
import io.hybridci.core.deadletter.DeadLetterQueue;
import io.hybridci.core.deadletter.DeadLetters;
import io.hybridci.core.port.DeadLetterReader.RawMessage;
import io.hybridci.core.port.inmemory.InMemoryDeadLetterReader;
import io.hybridci.core.port.inmemory.StaticSecretSource;
import io.hybridci.core.security.TokenKind;
import io.hybridci.core.security.Tokens;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /api/v1/dead-letters} over the in-memory reader: what it shows, to whom, and its 4xx. */
class DeadLetterRoutesTest {

    static final List<DeadLetterQueue> QUEUES = List.of(
            new DeadLetterQueue("jobs-default-dlq", "queue-redrive", "jobs-default"),
            new DeadLetterQueue("agent-updates-dlq", "queue-redrive", "agent-updates"),
            new DeadLetterQueue("bus-targets-dlq", "bus-targets", "rule and schedule targets of bus hybridci"));

    private final ApiTestBed bed = new ApiTestBed();
    private final InMemoryDeadLetterReader reader = new InMemoryDeadLetterReader()
            .queue("jobs-default-dlq").queue("agent-updates-dlq").queue("bus-targets-dlq");
    private final ApiHandler handler = handlerWith(bed, reader);

    /** The bed's adapters with dead letters read from {@code reader} (OpenApiContractTest uses it too). */
    static ApiHandler handlerWith(ApiTestBed bed, InMemoryDeadLetterReader reader) {
        return new ApiHandler(bed.builds, bed.jobs, bed.agents, bed.credentials, bed.logs, bed.audit, bed.events,
                new StaticSecretSource(List.of(), List.of(Tokens.sha256Hex(bed.adminToken))),
                new ApiConfig(AgentApiSettings.withDefaults(Map.of("default", ApiTestBed.JOBS_DEFAULT_URL),
                        ApiTestBed.AGENT_UPDATES_URL, "us-east-1", null)),
                AdminPorts.from(bed.credentials).withDeadLetters(new DeadLetters(QUEUES, reader)), bed.clock);
    }

    /** A poison bus event as the bus-targets DLQ holds it. */
    static RawMessage busPoison() {
        return new RawMessage("m-bus-1", Instant.parse("2025-03-01T11:59:00Z"), 1, Map.of(
                "RULE_ARN", "arn:aws:events:us-east-1:123456789012:rule/hybridci/github-push",
                "TARGET_ARN", "arn:aws:lambda:us-east-1:123456789012:function:build-planner",
                "ERROR_CODE", "ERROR_FROM_TARGET", "ERROR_MESSAGE", "IllegalArgumentException: ref must be a string",
                "EXHAUSTED_RETRY_CONDITION", "MaximumRetryAttempts", "RETRY_ATTEMPTS", "8"),
                "{\"version\":\"0\",\"id\":\"e-1\",\"detail-type\":\"push\",\"source\":\"github.com\",\"detail\":{\"ref\":7}}");
    }

    private Answer get(java.util.Map<String, String> query, String token) {
        APIGatewayV2HTTPEvent event = ApiTestBed.withPath("audit-verify.json", "/api/v1/dead-letters");
        event.getRequestContext().getHttp().setMethod("GET");
        event.setQueryStringParameters(new HashMap<>(query));
        return token == null ? answerWithoutToken(event) : ApiTestBed.answer(handler, event, token);
    }

    private Answer answerWithoutToken(APIGatewayV2HTTPEvent event) {
        var response = handler.handleRequest(event, null);
        return new Answer(response.getStatusCode(), response.getHeaders(), ApiTestBed.parse(response.getBody()));
    }

    @Test
    void shouldListEveryQueueWithWhatItKeepsItsCountAndItsMessages_whenAnAdminAsks() {
        reader.add("bus-targets-dlq", busPoison());

        Answer answer = get(Map.of(), bed.adminToken);

        assertEquals(200, answer.status());
        JsonNode queues = answer.json().get("queues");
        assertEquals(List.of("jobs-default-dlq", "agent-updates-dlq", "bus-targets-dlq"),
                List.of(queues.get(0).get("queue").asText(), queues.get(1).get("queue").asText(), queues.get(2).get("queue").asText()));
        JsonNode bus = queues.get(2);
        assertEquals("bus-targets", bus.get("kind").asText());
        assertEquals("rule and schedule targets of bus hybridci", bus.get("deadLetterOf").asText());
        assertEquals(1, bus.get("approximateMessages").asLong());
        JsonNode message = bus.get("messages").get(0);
        assertEquals("m-bus-1", message.get("messageId").asText());
        assertEquals("2025-03-01T11:59:00Z", message.get("sentAt").asText());
        assertEquals(2, message.get("receiveCount").asInt(), "the peek counts as a receive");
        assertEquals("ERROR_FROM_TARGET", message.get("attributes").get("ERROR_CODE").asText());
        assertEquals("arn:aws:events:us-east-1:123456789012:rule/hybridci/github-push", message.get("attributes").get("RULE_ARN").asText());
        assertTrue(message.get("body").asText().contains("\"ref\":7"));
        assertFalse(message.get("bodyTruncated").asBoolean());
        assertEquals(0, queues.get(0).get("messages").size());
    }

    @Test
    void shouldShowOneQueue_whenItIsNamed() {
        Answer answer = get(Map.of("queue", "agent-updates-dlq", "limit", "1"), bed.adminToken);

        assertEquals(200, answer.status());
        assertEquals(1, answer.json().get("queues").size());
        assertEquals("agent-updates", answer.json().get("queues").get(0).get("deadLetterOf").asText());
    }

    @Test
    void shouldAnswer400NamingTheParameterAndTheKnownQueues_whenTheQueueIsUnknown() {
        Answer answer = get(Map.of("queue", "jobs-default"), bed.adminToken);

        assertEquals(400, answer.status());
        assertEquals("bad_request", answer.error());
        String message = answer.json().get("message").asText();
        assertTrue(message.startsWith("parameter \"queue\": no dead-letter queue 'jobs-default'"), message);
        assertTrue(message.contains("jobs-default-dlq, agent-updates-dlq, bus-targets-dlq"), message);
    }

    @Test
    void shouldAnswer400NamingTheLimit_whenItIsOutOfRange() {
        for (String limit : List.of("0", "11", "ten")) {
            Answer answer = get(Map.of("limit", limit), bed.adminToken);

            assertEquals(400, answer.status(), limit);
            assertEquals("parameter \"limit\" must be an integer from 1 to 10 (to 100 with \"queue\")",
                    answer.json().get("message").asText());
        }
        for (String limit : List.of("0", "101")) {
            Answer answer = get(Map.of("queue", "agent-updates-dlq", "limit", limit), bed.adminToken);

            assertEquals(400, answer.status(), limit);
            assertEquals("parameter \"limit\" must be an integer from 1 to 100", answer.json().get("message").asText());
        }
    }

    @Test
    void shouldShowUpToAHundredMessagesOfOneQueue_whenItIsNamed() {
        for (int i = 0; i < 120; i++) {
            reader.add("agent-updates-dlq", new RawMessage("m-" + i, Instant.parse("2025-03-01T11:00:00Z"), 1, Map.of(), "{}"));
        }

        Answer one = get(Map.of("queue", "agent-updates-dlq", "limit", "100"), bed.adminToken);
        Answer all = get(Map.of(), bed.adminToken);

        assertEquals(200, one.status());
        assertEquals(100, one.json().get("queues").get(0).get("messages").size());
        assertEquals("m-99", one.json().get("queues").get(0).get("messages").get(99).get("messageId").asText());
        assertEquals(120, one.json().get("queues").get(0).get("approximateMessages").asInt());
        List<Integer> shownOfAgentUpdates = new java.util.ArrayList<>();
        all.json().get("queues").forEach(queue -> {
            if (queue.get("queue").asText().equals("agent-updates-dlq")) shownOfAgentUpdates.add(queue.get("messages").size());
        });
        assertEquals(List.of(10), shownOfAgentUpdates, "the default when every queue is listed");
    }

    @Test
    void shouldNeverShowASecret_whenAPoisonAgentMessageCarriesTokens() {
        String session = Tokens.generate(TokenKind.AGENT_SESSION).reveal();
        reader.add("agent-updates-dlq", new RawMessage("m-agent", Instant.parse("2025-03-01T11:00:00Z"), 5,
                Map.of("hybridci-signature", "9f2c", "hybridci-timestamp", "2025-03-01T11:00:00Z"),
                "{\"type\":\"log\",\"jobId\":\"j-1\",\"seq\":3,\"text\":\"token=" + session + "\",\"sessionToken\":\"x\"}"));

        Answer answer = get(Map.of("queue", "agent-updates-dlq"), bed.adminToken);

        String json = answer.json().toString();
        assertFalse(json.contains(session), json);
        assertTrue(json.contains("token=hca_[redacted]"), json);
        assertTrue(json.contains("\\\"sessionToken\\\":\\\"[redacted]\\\""), json);
        assertTrue(json.contains("9f2c"), "the HMAC signature is shown: " + json);
    }

    @Test
    void shouldAnswer401_whenNoTokenIsGiven() {
        assertEquals(401, get(Map.of(), null).status());
        assertEquals(401, get(Map.of(), "hca_wrong").status());
    }

    @Test
    void shouldAnswer403NamingTheAdminRole_whenAViewerOrOperatorAsks() {
        for (String fixture : List.of("cancel-as-viewer.json", "cancel-as-operator.json")) {
            APIGatewayV2HTTPEvent event = ApiTestBed.withPath(fixture, "/api/v1/dead-letters");
            event.getRequestContext().getHttp().setMethod("GET");
            event.setQueryStringParameters(Map.of());

            Answer answer = answerWithoutToken(event);

            assertEquals(403, answer.status(), fixture);
            assertTrue(answer.json().get("message").asText().contains("needs role admin"), answer.json().toString());
        }
    }

    @Test
    void shouldAnswer503_whenTheFunctionIsNotGivenTheQueues() {
        APIGatewayV2HTTPEvent event = ApiTestBed.withPath("audit-verify.json", "/api/v1/dead-letters");
        event.getRequestContext().getHttp().setMethod("GET");

        Answer answer = bed.send(event, bed.adminToken);

        assertEquals(503, answer.status());
        assertTrue(answer.json().get("message").asText().contains("DEAD_LETTER_QUEUES"));
    }
}
