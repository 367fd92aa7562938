package io.hybridci.local.engine.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.aws.sqs.SqsDeadLetterReader;
import io.hybridci.core.port.DeadLetterReader.QueueContents;
import io.hybridci.core.port.DeadLetterReader.RawMessage;
import io.hybridci.local.engine.LocalAws;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The dead-letter browse on ElasticMQ, driven by the real SqsClient: more than one receive's worth of messages is
 * shown, every message is visible again right after, and nothing leaves the queue.
 */
class SqsDeadLetterReaderIT {

    @TempDir
    Path data;

    LocalSqs sqs;
    SqsClient client;
    String standardUrl;
    String fifoUrl;
    SqsDeadLetterReader reader;

    @BeforeEach
    void start() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        sqs = LocalSqs.start(data, port);
        client = LocalAws.pointAt(SqsClient.builder(), sqs.endpoint()).build();
        standardUrl = client.createQueue(c -> c.queueName("jobs-default-dlq")).queueUrl();
        fifoUrl = client.createQueue(c -> c.queueName("agent-updates-dlq.fifo").attributes(Map.of(
                QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
        reader = new SqsDeadLetterReader(() -> client, Map.of("jobs-default-dlq", standardUrl, "agent-updates-dlq", fifoUrl));
    }

    @AfterEach
    void stop() {
        client.close();
        sqs.close();
    }

    @Test
    void shouldShowEveryMessage_andLeaveEachVisible_whenAQueueHoldsMoreThanOneReceive() {
        Set<String> sent = sendStandard(25);

        QueueContents first = reader.peek("jobs-default-dlq", 100);
        QueueContents second = reader.peek("jobs-default-dlq", 100);

        assertEquals(25, first.approximateMessages());
        assertEquals(sent, ids(first.messages()), "each message once, 25 of 25");
        assertEquals(25, first.messages().stream().map(RawMessage::messageId).distinct().count());
        assertEquals(sent, ids(second.messages()), "given back at once: a second peek sees them all again");
        assertTrue(second.messages().stream().allMatch(m -> m.receiveCount() == 2), "a peek counts one receive each");
        assertEquals(25, visible(standardUrl), "nothing left the queue or stayed hidden");
    }

    @Test
    void shouldShowOnlyAsManyAsAsked_andGiveThoseBack_whenTheLimitIsSmaller() {
        sendStandard(25);

        QueueContents peeked = reader.peek("jobs-default-dlq", 13);

        assertEquals(13, peeked.messages().size());
        assertEquals(25, visible(standardUrl));
    }

    @Test
    void shouldShowEveryMessage_whenEachOfAFifoQueueHasItsOwnGroup() {
        // As job-updater keeps what it rejects: one message group per copy.
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 15; i++) {
            int n = i;
            sent.add(client.sendMessage(r -> r.queueUrl(fifoUrl).messageBody("{\"n\":" + n + "}").messageGroupId("g-" + n)
                    .messageDeduplicationId("d-" + n).messageAttributes(Map.of("hybridci-rejection-code",
                            MessageAttributeValue.builder().dataType("String").stringValue("malformed").build()))).messageId());
        }

        QueueContents peeked = reader.peek("agent-updates-dlq", 100);

        assertEquals(sent, ids(peeked.messages()));
        assertTrue(peeked.messages().stream().allMatch(m -> m.attributes().get("hybridci-rejection-code").equals("malformed")));
        assertEquals(15, visible(fifoUrl));
    }

    @Test
    void shouldShowTheGroupsFirstMessagesInOrder_whenAFifoGroupHoldsMoreThanOneReceive() {
        // The documented limit: a group's messages behind those the browse holds stay unseen, but none is lost.
        for (int i = 0; i < 12; i++) {
            int n = i;
            client.sendMessage(r -> r.queueUrl(fifoUrl).messageBody("m" + n).messageGroupId("agent-1").messageDeduplicationId("d-" + n));
        }

        QueueContents peeked = reader.peek("agent-updates-dlq", 100);

        List<String> bodies = peeked.messages().stream().map(RawMessage::body).toList();
        assertTrue(!bodies.isEmpty() && bodies.size() <= 12, bodies.toString());
        assertEquals(IntStream.range(0, bodies.size()).mapToObj(n -> "m" + n).toList(), bodies, "in the group's order");
        assertEquals(12, visible(fifoUrl));
    }

    @Test
    void shouldNameTheKnownQueues_whenTheQueueIsUnknown() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> reader.peek("jobs-default", 10));

        assertEquals("no dead-letter queue 'jobs-default'; known: [agent-updates-dlq, jobs-default-dlq]", error.getMessage());
    }

    private Set<String> sendStandard(int count) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            ids.add(client.sendMessage(r -> r.queueUrl(standardUrl).messageBody("{\"poison\":" + n + "}")).messageId());
        }
        return ids;
    }

    private static Set<String> ids(List<RawMessage> messages) {
        Set<String> ids = new HashSet<>();
        messages.forEach(m -> ids.add(m.messageId()));
        return ids;
    }

    private long visible(String url) {
        return Long.parseLong(client.getQueueAttributes(r -> r.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }
}
