package io.hybridci.infra;

import io.hybridci.topology.QueueSpec;
import io.hybridci.topology.Topology;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

import java.util.List;

/**
 * The IAM managed policy an agent's credentials carry (attach it to the user or role the agents
 * run as): receive and delete on the job queues, send to {@code agent-updates}, nothing else.
 * Everything else an agent does goes through the HTTP API with its session token.
 *
 * <p>Written as statements rather than {@code grant*}: a managed policy is not a grantee, and the
 * queues' grant helpers would add more than these actions (visibility changes, attributes).
 */
public final class AgentPolicy extends Construct {

    private final ManagedPolicy policy;

    public AgentPolicy(Construct scope, String id, Topology topology, Queues queues) {
        super(scope, id);
        List<String> jobQueueArns = topology.jobQueues().stream()
                .map(QueueSpec::name).map(name -> queues.queue(name).getQueueArn()).toList();
        this.policy = ManagedPolicy.Builder.create(this, "Policy")
                .description("Hybrid CI agents: take jobs from their queues, send job updates")
                .statements(List.of(
                        PolicyStatement.Builder.create()
                                .sid("TakeJobs")
                                .effect(Effect.ALLOW)
                                .actions(List.of("sqs:ReceiveMessage", "sqs:DeleteMessage"))
                                .resources(jobQueueArns)
                                .build(),
                        PolicyStatement.Builder.create()
                                .sid("SendJobUpdates")
                                .effect(Effect.ALLOW)
                                .actions(List.of("sqs:SendMessage"))
                                .resources(List.of(queues.queue(Topology.AGENT_UPDATES_QUEUE).getQueueArn()))
                                .build()))
                .build();
    }

    public ManagedPolicy policy() {
        return policy;
    }
}
