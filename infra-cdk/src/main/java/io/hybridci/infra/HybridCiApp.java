package io.hybridci.infra;

import io.hybridci.topology.Topology;
import io.hybridci.topology.TopologyCheck;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;

import java.util.Arrays;
import java.util.List;

/**
 * The CDK app: one {@link HybridCiStack} built from the standard topology. Run through
 * {@code cdk.json} ({@code npx cdk synth}) or {@code infra-cdk/synth.sh}.
 *
 * <p>Context {@code hybridci:agentQueues} (comma-separated, default {@code default}) lists the
 * agent queues, one {@code jobs-<queue>} SQS queue each.
 */
public final class HybridCiApp {

    /** Context key of the comma-separated agent queue names. */
    public static final String AGENT_QUEUES_CONTEXT = "hybridci:agentQueues";

    private HybridCiApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        Topology topology = Topology.standard(agentQueues(app.getNode().tryGetContext(AGENT_QUEUES_CONTEXT)));
        new HybridCiStack(app, "HybridCi", StackProps.builder()
                .description("Hybrid CI control plane: functions, queues, tables, event bus")
                .build(), topology);
        app.synth();
    }

    /**
     * Parses the agent-queue context value and refuses an inconsistent topology before anything is
     * synthesized: a bad queue name should fail here, not in CloudFormation.
     */
    static List<String> agentQueues(Object contextValue) {
        if (contextValue == null) {
            return Topology.DEFAULT_AGENT_QUEUES;
        }
        List<String> queues = Arrays.stream(contextValue.toString().split(","))
                .map(String::trim).filter(name -> !name.isEmpty()).toList();
        List<String> problems = TopologyCheck.problems(Topology.standard(queues));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("context " + AGENT_QUEUES_CONTEXT + "=" + contextValue
                    + " gives an inconsistent topology: " + problems);
        }
        return queues;
    }
}
