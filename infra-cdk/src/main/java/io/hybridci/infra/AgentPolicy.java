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
 * run as): receive, delete and release (change visibility) on the job queues of both priority bands, send to
 * {@code agent-updates}, nothing else.
 * Everything else an agent does goes through the HTTP API with its session token.
 *
 * <p>Written as statements rather than {@code grant*}: a managed policy is not a grantee, and the
 * queues' grant helpers would add more than these actions (attributes). ChangeMessageVisibility is the
 * agent's release: a message it cannot take now (it is busy, paused, or took a job of the other priority band
 * at the same moment) is made visible again at once instead of after the 30 s visibility timeout.
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
                                .actions(List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"))
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
