package io.hybridci.reaper;

import io.hybridci.core.port.AgentRepository;
import io.hybridci.core.port.JobDispatcher;
import io.hybridci.core.port.JobRepository;

import java.util.Map;

/** Builds the reaper's real collaborators (functions/aws adapters) from the environment, once per container. */
final class AwsWiring {

    /** What the reaper touches: jobs and agents in the state table, and the job queues. */
    record Collaborators(JobRepository jobs, AgentRepository agents, JobDispatcher dispatcher) {}

    private AwsWiring() {
    }

    static Collaborators fromEnvironment(Map<String, String> env) {
        // functions/aws does not offer its adapter set (Adapters.fromEnvironment) yet; failing at
        // construction names the gap instead of sweeping nothing every minute in silence.
        throw new IllegalStateException("the AWS adapters are not wired into the reaper yet");
    }
}
