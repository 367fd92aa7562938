package io.hybridci.local.engine.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.local.engine.LocalAws;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Embedded ElasticMQ with H2 storage, driven by the real SqsClient. */
class LocalSqsIT {

    @TempDir
    Path data;

    int port;
    LocalSqs sqs;
    SqsClient client;

    @BeforeEach
    void start() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        open();
    }

    void open() {
        sqs = LocalSqs.start(data, port);
        client = LocalAws.pointAt(SqsClient.builder(), sqs.endpoint()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        sqs.close();
    }

    String queueWithDlq(String name, int maxReceiveCount) {
        String dlqUrl = client.createQueue(c -> c.queueName(name + "-dlq")).queueUrl();
        String dlqArn = client.getQueueAttributes(g -> g.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        assertEquals("arn:aws:sqs:us-east-1:000000000000:" + name + "-dlq", dlqArn);
        return client.createQueue(c -> c.queueName(name).attributes(Map.of(
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\""
                        + maxReceiveCount + "\"}",
                QueueAttributeName.VISIBILITY_TIMEOUT, "0"))).queueUrl();
    }

    @Test
    void shouldSendReceiveAndDelete_whenUsingAStandardQueue() {
        // Not a queue name the product uses: a port freed by an earlier test's cloud can be handed to this
        // ElasticMQ, and a late message meant for that cloud's jobs-default must not land here.
        String url = client.createQueue(c -> c.queueName("engine-standard-queue")).queueUrl();
        client.sendMessage(s -> s.queueUrl(url).messageBody("job-1"));

        Message message = client.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(2)).messages().getFirst();
        client.deleteMessage(d -> d.queueUrl(url).receiptHandle(message.receiptHandle()));

        assertEquals("job-1", message.body());
        assertTrue(url.startsWith("http://127.0.0.1:" + port + "/"), url);
        assertTrue(client.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(0)).messages().isEmpty());
    }

    @Test
    void shouldDeliverInOrderWithinAGroup_whenUsingAFifoQueue() {
        String url = client.createQueue(c -> c.queueName("engine-ordered-queue.fifo").attributes(Map.of(
                QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false")))
                .queueUrl();
        for (int i = 1; i <= 3; i++) {
            String body = "update-" + i;
            client.sendMessage(s -> s.queueUrl(url).messageBody(body).messageGroupId("job-7").messageDeduplicationId(body));
        }

        List<String> bodies = client.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(2))
                .messages().stream().map(Message::body).toList();

        assertEquals(List.of("update-1", "update-2", "update-3"), bodies);
    }

    /**
     * What lets several event-source-mapping pollers share one FIFO queue (as Lambda's do) without
     * breaking a group's order: while a message of a group is in flight, no later message of that group
     * is handed out, but other groups' messages are.
     */
    @Test
    void shouldHoldBackAGroupWhileOneOfItsMessagesIsInFlight_whenUsingAFifoQueue() {
        String url = client.createQueue(c -> c.queueName("engine-group-lock.fifo").attributes(Map.of(
                QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.VISIBILITY_TIMEOUT, "30")))
                .queueUrl();
        for (String body : List.of("a-1", "a-2", "b-1")) {
            client.sendMessage(s -> s.queueUrl(url).messageBody(body).messageGroupId(body.substring(0, 1))
                    .messageDeduplicationId(body));
        }

        Message first = client.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(1).waitTimeSeconds(1)).messages().getFirst();
        List<String> whileAInFlight = client.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages().stream().map(Message::body).toList();
        client.deleteMessage(d -> d.queueUrl(url).receiptHandle(first.receiptHandle()));
        List<String> afterDelete = client.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages().stream().map(Message::body).toList();

        assertEquals("a-1", first.body());
        assertEquals(List.of("b-1"), whileAInFlight);
        assertEquals(List.of("a-2"), afterDelete);
    }

    @Test
    void shouldMoveAMessageToTheDlq_whenReceivedMaxReceiveCountTimes() {
        String url = queueWithDlq("jobs-flaky", 2);
        String dlqUrl = client.getQueueUrl(g -> g.queueName("jobs-flaky-dlq")).queueUrl();
        client.sendMessage(s -> s.queueUrl(url).messageBody("poison"));

        for (int i = 0; i < 2; i++) {
            assertEquals(1, client.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(2)).messages().size());
        }
        List<Message> afterLimit = client.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1)).messages();
        List<Message> dead = client.receiveMessage(r -> r.queueUrl(dlqUrl).waitTimeSeconds(2)).messages();

        assertTrue(afterLimit.isEmpty());
        assertEquals("poison", dead.getFirst().body());
    }

    @Test
    void shouldKeepQueuesAndMessages_whenRestartedOnTheSameDataDir() {
        String url = queueWithDlq("jobs-durable", 5);
        client.sendMessage(s -> s.queueUrl(url).messageBody("survivor"));

        stop();
        open();

        String redrive = client.getQueueAttributes(g -> g.queueUrl(url).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                .attributes().get(QueueAttributeName.REDRIVE_POLICY);
        Message message = client.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(2)).messages().getFirst();
        assertEquals("survivor", message.body());
        assertTrue(redrive.contains("jobs-durable-dlq"), redrive);
    }

    @Test
    void shouldKeepEachDataDirsOwnQueues_whenServersOfTwoDataDirsRunOneAfterTheOtherInOneJvm(@TempDir Path otherData) {
        // ElasticMQ opens its SQL store once per JVM; without LocalSqs re-pointing it, the second server used the first's.
        String url = client.createQueue(c -> c.queueName("jobs-own")).queueUrl();
        client.sendMessage(s -> s.queueUrl(url).messageBody("first data dir"));
        stop();

        Path firstData = data;
        data = otherData;
        open();
        assertEquals(List.of(), client.listQueues().queueUrls(), "a new data dir starts without queues");
        String otherUrl = client.createQueue(c -> c.queueName("jobs-own")).queueUrl();
        client.sendMessage(s -> s.queueUrl(otherUrl).messageBody("second data dir"));
        stop();

        data = firstData;
        open();
        List<String> bodies = client.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages().stream().map(Message::body).toList();
        assertEquals(List.of("first data dir"), bodies);
    }
}
