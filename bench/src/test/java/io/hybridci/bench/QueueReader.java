package io.hybridci.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Reads a dead-letter queue to its end with SQS receives, beside the API (which shows at most 100 of a queue). */
final class QueueReader {

    private QueueReader() {}

    /**
     * Every message of the queue with its attributes, each received once and hidden for 5 minutes so the next receive
     * returns others (a FIFO queue returns a group's messages in order). Call it last: the queue looks empty afterwards.
     * Three receives in a row with nothing new end the read.
     */
    static List<Message> readToEnd(SqsClient sqs, String queueUrl) {
        List<Message> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int empty = 0, round = 0; empty < 3 && round < 10_000; round++) {
            var received = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).visibilityTimeout(300)
                    .waitTimeSeconds(0).messageAttributeNames("All")).messages();
            int fresh = 0;
            for (Message message : received) {
                if (seen.add(message.messageId())) {
                    all.add(message);
                    fresh++;
                }
            }
            empty = fresh == 0 ? empty + 1 : 0;
        }
        return all;
    }
}
