package io.hybridci.infra;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No IAM statement on "*" unless its action cannot be scoped, and then only with a reason. */
class LeastPrivilegeTest {

    /** Actions IAM offers no resource-level permission for, and why we need them. */
    private static final Map<String, String> UNSCOPABLE = Map.of(
            "dynamodb:ListStreams", "the stream event-source mapping lists the table's streams",
            "secretsmanager:GetRandomPassword", "the rotation schedule lets the rotator generate new values");

    /**
     * What CDK's BucketDeployment handler (the dashboard's deploy-time upload) is granted on "*", and why we
     * accept it there and nowhere else: aws-cdk-lib writes the statement, and invalidating after each upload
     * is what makes a deploy visible at once; the handler runs only while CloudFormation deploys.
     */
    private static final Map<String, String> DEPLOYMENT_HANDLER_ONLY = Map.of(
            "cloudfront:CreateInvalidation", "invalidate the dashboard's cached files after the upload",
            "cloudfront:GetInvalidation", "wait for that invalidation to finish");

    private static List<Map<String, Object>> statements() {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (String type : List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
            for (Map<String, Object> policy : SynthesizedStack.properties(type).values()) {
                statements.addAll(SynthesizedStack.list(SynthesizedStack.map(policy.get("PolicyDocument")).get("Statement")));
            }
        }
        return statements;
    }

    private static List<String> strings(Object value) {
        return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of(String.valueOf(value));
    }

    @Test
    void shouldScopeEveryStatementOrHaveAReason_whenResourceIsStar() {
        List<String> unexplained = new ArrayList<>();
        for (Map<String, Object> statement : statements()) {
            if (strings(statement.get("Resource")).contains("*")) {
                strings(statement.get("Action")).stream()
                        .filter(action -> !UNSCOPABLE.containsKey(action))
                        .filter(action -> !DEPLOYMENT_HANDLER_ONLY.containsKey(action))
                        .forEach(unexplained::add);
            }
        }
        assertEquals(List.of(), unexplained);
        SynthesizedStack.properties("AWS::IAM::Policy").forEach((id, policy) -> {
            String document = String.valueOf(policy.get("PolicyDocument"));
            for (String action : DEPLOYMENT_HANDLER_ONLY.keySet()) {
                assertTrue(!document.contains(action) || id.startsWith(SynthesizedStack.DEPLOYMENT_HANDLER_PREFIX),
                        action + " outside the deployment handler, in " + id);
            }
        });
    }

    @Test
    void shouldNeverGrantAWildcardAction_whenAnyStatement() {
        List<Map<String, Object>> statements = statements();
        assertTrue(statements.size() > 10, "expected the grants of every function");
        for (Map<String, Object> statement : statements) {
            for (String action : strings(statement.get("Action"))) {
                assertTrue(!action.equals("*") && !action.endsWith(":*"), "wildcard action " + action);
            }
        }
    }

    @Test
    void shouldWriteSecretVersionsOnlyWhereTheTopologyGrantsRotate_whenAFunctionRotatesASecret() {
        List<Map<String, Object>> writers = statements().stream()
                .filter(statement -> strings(statement.get("Action")).contains("secretsmanager:ListSecretVersionIds"))
                .toList();
        long rotateGrants = SynthesizedStack.topology().functions().stream()
                .flatMap(function -> function.access().stream())
                .filter(access -> access instanceof io.hybridci.topology.Access.SecretAccess secret
                        && secret.use() == io.hybridci.topology.Access.SecretUse.ROTATE)
                .count();

        assertEquals(3, rotateGrants, "the rotator's two secrets and the api's webhook secret");
        assertEquals(rotateGrants, writers.size());
        for (Map<String, Object> statement : writers) {
            assertEquals(List.of("secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage",
                    "secretsmanager:ListSecretVersionIds"), strings(statement.get("Action")));
            assertTrue(!strings(statement.get("Resource")).contains("*"), "scoped to the secret");
        }
    }

    @Test
    void shouldLetOnlyTheApiPeekAndOnlyAtDeadLetterQueues_whenReceiveMessageIsGranted() {
        List<String> peekers = new ArrayList<>();
        StringBuilder peeked = new StringBuilder();
        SynthesizedStack.properties("AWS::IAM::Policy").forEach((id, policy) -> {
            for (Map<String, Object> statement : SynthesizedStack.list(SynthesizedStack.map(policy.get("PolicyDocument")).get("Statement"))) {
                // Consuming (an SQS trigger's mapping) comes with DeleteMessage; a peek never does.
                if (strings(statement.get("Action")).contains("sqs:ReceiveMessage")
                        && !strings(statement.get("Action")).contains("sqs:DeleteMessage")) {
                    if (!peekers.contains(id)) {
                        peekers.add(id);
                    }
                    assertEquals(List.of("sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"),
                            strings(statement.get("Action")), id);
                    peeked.append(statement.get("Resource"));
                }
            }
        });
        String resources = peeked.toString();
        for (io.hybridci.topology.DeadLetterSource source : SynthesizedStack.topology().deadLetterQueues()) {
            String logicalId = source.queue().equals(io.hybridci.topology.Topology.BUS_TARGETS_DLQ)
                    ? HybridCiStack.BUS_TARGETS_DLQ_LOGICAL_ID : "Queues" + Names.pascal(source.queue()) + "Queue";
            assertTrue(resources.contains(logicalId), logicalId + " in " + resources);
        }
        assertTrue(!resources.contains("QueuesJobsDefaultQueue") && !resources.contains("QueuesAgentUpdatesQueue"),
                "no work queue: " + resources);
        assertEquals(1, peekers.size(), String.valueOf(peekers));
        assertTrue(peekers.getFirst().startsWith("FunctionsApiRole"), peekers.getFirst());
    }
}
