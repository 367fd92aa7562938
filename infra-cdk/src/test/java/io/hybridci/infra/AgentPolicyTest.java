package io.hybridci.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

import java.util.List;
import java.util.Map;

import static io.hybridci.infra.SynthesizedStack.template;

class AgentPolicyTest {

    @Test
    void shouldAllowOnlyReceiveDeleteReleaseOnBothJobQueuesAndSendToAgentUpdates_whenAgentPolicy() {
        template().resourceCountIs("AWS::IAM::ManagedPolicy", 1);
        template().hasResourceProperties("AWS::IAM::ManagedPolicy", Map.of("PolicyDocument", Map.of(
                "Version", "2012-10-17",
                "Statement", List.of(
                        Map.of("Sid", "TakeJobs", "Effect", "Allow",
                                "Action", List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"),
                                "Resource", List.of(
                                        Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("QueuesJobsDefaultQueue.*"), "Arn")),
                                        Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("QueuesJobsDefaultHighQueue.*"), "Arn")))),
                        Map.of("Sid", "SendJobUpdates", "Effect", "Allow",
                                "Action", "sqs:SendMessage",
                                "Resource", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("QueuesAgentUpdatesQueue.*"), "Arn")))))));
    }
}
