package io.hybridci.infra;

import io.hybridci.topology.Topology;
import io.hybridci.topology.TopologyCheck;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

import java.util.List;

/**
 * Every AWS resource of Hybrid CI, built from a {@link Topology}. For now it holds the DynamoDB
 * tables; functions, queues, the bus and its rules arrive with the full stack (issue 5), each as
 * its own construct reading the same topology.
 */
public final class HybridCiStack extends Stack {

    private final Topology topology;
    private final DataTables tables;

    public HybridCiStack(Construct scope, String id, StackProps props, Topology topology) {
        super(scope, id, props);
        List<String> problems = TopologyCheck.problems(topology);
        if (!problems.isEmpty()) {
            // A stack built from an inconsistent topology would deploy half-wired resources.
            throw new IllegalArgumentException("inconsistent topology: " + problems);
        }
        this.topology = topology;
        this.tables = new DataTables(this, "Tables", topology.tables());
    }

    /** The topology this stack was built from. */
    public Topology topology() {
        return topology;
    }

    /** The DynamoDB tables, by topology name. */
    public DataTables tables() {
        return tables;
    }
}
