package io.hybridci.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.topology.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8, "every poison message is in a DLQ and visible in the API", in a real local cloud: a bus event its rule
 * target never accepts ends in {@code bus-targets-dlq} (ElasticMQ) with EventBridge's attributes, is listed by
 * {@code GET /api/v1/dead-letters}, and is still listed after the cloud is closed and started again on the same
 * data dir; a job-queue message received five times without a delete is listed under {@code jobs-default-dlq}; an
 * agent message job-updater rejects is listed under {@code agent-updates-dlq} with the rejection's code;
 * {@code ./hybridci dead-letters} prints both.
 */
class DeadLettersIT {

    /** Nine deliveries with capped doubling backoff take ~21 s; the rest is margin for a loaded machine. */
    private static final Duration DEAD_LETTER_WAIT = Duration.ofSeconds(90);

    @TempDir
    Path temp;

    private LocalCloudOptions options() {
        return new LocalCloudOptions(temp.resolve("data"), 0, Clock.systemUTC(), List.of("default"),
                CloudDriver.NODE_MODULES, false, null);
    }

    @Test
    void shouldKeepAndListEveryPoisonMessage_acrossARestart() throws Exception {
        String eventId;
        String poisonBody = "{\"not\":\"a dispatch\",\"poison\":true}";
        String agentPoison = "{\"type\":\"finished\",\"note\":\"\u05d0\ud83d\ude00 unsigned\"}";
        String agentPoisonId;
        try (LocalCloud cloud = LocalCloud.start(options())) {
            // A push whose ref is a number: build-planner's rule matches it, the planner throws on every delivery.
            eventId = cloud.clients().eventBridge().putEvents(r -> r.entries(PutEventsRequestEntry.builder()
                    .eventBusName(Topology.EVENT_BUS).source("github.com").detailType("push")
                    .detail("{\"deleted\":false,\"ref\":42,\"repository\":\"acme/widgets\"}").build()))
                    .entries().getFirst().eventId();
            poisonJobQueueMessage(cloud, poisonBody);
            // An agent message job-updater rejects: acknowledged (never retried), and kept in agent-updates-dlq by it.
            String agentQueue = cloud.queueUrl(Topology.AGENT_UPDATES_QUEUE);
            agentPoisonId = cloud.clients().sqs().sendMessage(r -> r.queueUrl(agentQueue).messageBody(agentPoison)
                    .messageGroupId("j-poison").messageDeduplicationId("dead-letters-it")).messageId();

            JsonNode busMessage = awaitMessage(cloud, Topology.BUS_TARGETS_DLQ, eventId);
            assertEquals("ERROR_FROM_TARGET", busMessage.path("attributes").path("ERROR_CODE").asText(), busMessage.toString());
            assertTrue(busMessage.path("attributes").path("RULE_ARN").asText().endsWith("/github-push"), busMessage.toString());
            assertTrue(busMessage.path("attributes").path("TARGET_ARN").asText().endsWith(":function:" + Topology.BUILD_PLANNER),
                    busMessage.toString());
            assertTrue(!busMessage.path("attributes").path("ERROR_MESSAGE").asText().isEmpty(), busMessage.toString());
            assertEquals(Integer.toString(Topology.RULE_TARGET_RETRY_ATTEMPTS),
                    busMessage.path("attributes").path("RETRY_ATTEMPTS").asText());
            assertEquals(eventId, ScriptedAgent.parse(busMessage.path("body").asText()).path("id").asText(), "the body is the event");

            JsonNode jobMessage = awaitMessage(cloud, Topology.dlqName(Topology.jobQueueName("default")), null);
            assertEquals(poisonBody, jobMessage.path("body").asText());
            assertTrue(jobMessage.path("receiveCount").asInt() >= 5, jobMessage.toString());

            JsonNode agentMessage = awaitMessage(cloud, Topology.dlqName(Topology.AGENT_UPDATES_QUEUE), "unsigned");
            assertEquals(agentPoison, agentMessage.path("body").asText(), "the body as it was sent");
            assertEquals("malformed", agentMessage.path("attributes").path("hybridci-rejection-code").asText(),
                    agentMessage.toString());
            assertEquals(agentPoisonId, agentMessage.path("attributes").path("hybridci-rejected-message-id").asText());
            assertTrue(!agentMessage.path("attributes").path("hybridci-rejection-detail").asText().isEmpty(),
                    agentMessage.toString());
            assertEquals(0, cloud.approximateMessages(Topology.AGENT_UPDATES_QUEUE), "acknowledged, not retried");

            JsonNode all = new CloudDriver(cloud).admin("/api/v1/dead-letters");
            List<String> queues = new java.util.ArrayList<>();
            all.path("queues").forEach(queue -> queues.add(queue.path("queue").asText()));
            assertEquals(List.of("jobs-default-dlq", "jobs-default-high-dlq", "agent-updates-dlq", "state-reactor-failures",
                    "audit-writer-failures", "bus-targets-dlq"), queues);
        }

        try (LocalCloud restarted = LocalCloud.start(options())) {
            JsonNode again = listed(restarted, Topology.BUS_TARGETS_DLQ, eventId).orElseThrow(() ->
                    new AssertionError("the dead letter did not survive the restart"));
            int receives = again.path("receiveCount").asInt();
            JsonNode peekedAgain = listed(restarted, Topology.BUS_TARGETS_DLQ, eventId).orElseThrow();
            assertEquals(receives + 1, peekedAgain.path("receiveCount").asInt(), "a peek is a receive, and moves nothing");
            assertEquals(1, restarted.approximateMessages(Topology.BUS_TARGETS_DLQ));
            assertTrue(listed(restarted, Topology.dlqName(Topology.jobQueueName("default")), null).isPresent());
            assertTrue(listed(restarted, Topology.dlqName(Topology.AGENT_UPDATES_QUEUE), "unsigned").isPresent());

            HttpResponse<String> unknown = ScriptedAgent.http(restarted.baseUrl(), "GET", "/api/v1/dead-letters?queue=jobs-default",
                    restarted.credentials().adminToken(), null);
            assertEquals(400, unknown.statusCode(), unknown.body());
            assertTrue(ScriptedAgent.parse(unknown.body()).path("message").asText().startsWith("parameter \"queue\": no dead-letter queue"),
                    unknown.body());

            CliIT.Run cli = cliAgainst(restarted, "dead-letters");
            assertEquals(0, cli.exit(), cli.err());
            assertTrue(cli.out().lines().findFirst().orElseThrow().matches("QUEUE +MESSAGES +KIND +DEAD LETTERS OF.*"), cli.out());
            assertTrue(cli.out().contains("ERROR_CODE: ERROR_FROM_TARGET") && cli.out().contains(eventId), cli.out());
            CliIT.Run oneQueue = cliAgainst(restarted, "dead-letters", "--queue", Topology.BUS_TARGETS_DLQ, "--limit", "100");
            assertEquals(0, oneQueue.exit(), oneQueue.err());
            assertTrue(oneQueue.out().contains(eventId) && !oneQueue.out().contains("jobs-default-dlq"), oneQueue.out());
            CliIT.Run tooMany = cliAgainst(restarted, "dead-letters", "--limit", "100");
            assertEquals(1, tooMany.exit());
            assertTrue(tooMany.err().contains("parameter \"limit\" must be an integer from 1 to 10 (to 100 with \"queue\")"),
                    tooMany.err());
            CliIT.Run unknownQueue = cliAgainst(restarted, "dead-letters", "--queue", "nope");
            assertEquals(1, unknownQueue.exit());
            assertTrue(unknownQueue.err().contains("parameter \"queue\""), unknownQueue.err());
        }
    }

    /** Sends a message no agent takes to jobs-default and receives it until SQS moves it to the DLQ (maxReceiveCount 5). */
    private static void poisonJobQueueMessage(LocalCloud cloud, String body) {
        SqsClient sqs = cloud.clients().sqs();
        String url = cloud.queueUrl(Topology.jobQueueName("default"));
        sqs.sendMessage(r -> r.queueUrl(url).messageBody(body));
        int receives = 0;
        for (int attempt = 0; attempt < 20; attempt++) {
            int got = sqs.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(0).waitTimeSeconds(1)).messages().size();
            receives += got;
            if (got == 0 && receives >= 5) {
                return;
            }
        }
        throw new AssertionError("the message was received " + receives + " times and is still in " + url);
    }

    private static JsonNode awaitMessage(LocalCloud cloud, String queue, String containing) throws InterruptedException {
        long deadline = System.nanoTime() + DEAD_LETTER_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<JsonNode> found = listed(cloud, queue, containing);
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("nothing" + (containing == null ? "" : " with " + containing) + " in " + queue
                + " after " + DEAD_LETTER_WAIT + ": " + new CloudDriver(cloud).admin("/api/v1/dead-letters"));
    }

    /** The first message of {@code queue} (whose body contains {@code containing}, when given) that the API lists. */
    private static Optional<JsonNode> listed(LocalCloud cloud, String queue, String containing) {
        JsonNode answer = new CloudDriver(cloud).admin("/api/v1/dead-letters?queue=" + queue);
        assertEquals(queue, answer.path("queues").path(0).path("queue").asText());
        for (JsonNode message : answer.path("queues").path(0).path("messages")) {
            if (containing == null || message.path("body").asText().contains(containing)) {
                return Optional.of(message);
            }
        }
        return Optional.empty();
    }

    private static CliIT.Run cliAgainst(LocalCloud cloud, String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        String[] withUrl = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--url", cloud.baseUrl()))
                .toArray(String[]::new);
        int exit = new io.hybridci.local.cli.Cli(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8),
                java.util.Map.of(io.hybridci.local.cli.Cli.TOKEN_ENV, cloud.credentials().adminToken())).run(withUrl);
        return new CliIT.Run(exit, out.toString(java.nio.charset.StandardCharsets.UTF_8), err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
}
