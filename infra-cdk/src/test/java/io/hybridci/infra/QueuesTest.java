package io.hybridci.infra;

import io.hybridci.topology.QueueSpec;
import io.hybridci.topology.Topology;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

import java.util.List;
import java.util.Map;

import static io.hybridci.infra.SynthesizedStack.template;
import static org.junit.jupiter.api.Assertions.assertEquals;

class QueuesTest {

    @Test
    void shouldRedriveJobQueueToItsDlqAfterFiveReceives_whenSynthesized() {
        template().hasResourceProperties("AWS::SQS::Queue", Map.of(
                "QueueName", "HybridCi-jobs-default",
                "VisibilityTimeout", 30,
                "MessageRetentionPeriod", QueueSpec.FOURTEEN_DAYS_SECONDS,
                "ReceiveMessageWaitTimeSeconds", 20,
                "SqsManagedSseEnabled", true,
                "RedrivePolicy", Map.of("maxReceiveCount", 5,
                        "deadLetterTargetArn", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("QueuesJobsDefaultDlqQueue.*"), "Arn")))));
    }

    @Test
    void shouldBeFifoWithExplicitDedupIdsAndAFifoDlq_whenAgentUpdates() {
        template().hasResourceProperties("AWS::SQS::Queue", Map.of(
                "QueueName", "HybridCi-agent-updates.fifo",
                "FifoQueue", true,
                "ContentBasedDeduplication", false,
                "VisibilityTimeout", 180,
                "RedrivePolicy", Match.objectLike(Map.of("maxReceiveCount", 5))));
        template().hasResourceProperties("AWS::SQS::Queue", Map.of(
                "QueueName", "HybridCi-agent-updates-dlq.fifo", "FifoQueue", true));
    }

    @Test
    void shouldEncryptEveryQueue_whenSynthesized() {
        int queues = Topology.standard().queues().size(); // the bus targets' DLQ is one of them
        template().resourcePropertiesCountIs("AWS::SQS::Queue", Map.of("SqsManagedSseEnabled", true), queues);
        template().resourceCountIs("AWS::SQS::Queue", queues);
    }

    @Test
    void shouldDenyPlainHttpOnEveryQueue_whenSynthesized() {
        Map<String, Map<String, Object>> policies = SynthesizedStack.properties("AWS::SQS::QueuePolicy");
        long enforcing = policies.values().stream()
                .filter(policy -> SynthesizedStack.list(SynthesizedStack.map(policy.get("PolicyDocument")).get("Statement"))
                        .stream().anyMatch(statement -> "Deny".equals(statement.get("Effect"))
                                && String.valueOf(statement.get("Condition")).contains("aws:SecureTransport=false")))
                .count();

        assertEquals(Topology.standard().queues().size(), enforcing);
    }
}
