package io.hybridci.core.reaction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildState;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.userapi.BootstrapBuilds;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rollup's {@code pipelineSteps} guard counts pipeline jobs only, never the control plane's own. */
class PipelineStepsCountTest {

    private static Job passed(String key, JobKind kind) {
        return StateReactorTest.job(key, List.of(), RetryPolicy.DEFAULT, kind).withState(JobState.PASSED);
    }

    @Test
    void shouldKeepTheBuildRunning_whenOnlyTheForkGateAndBootstrapPassedOfAOneStepPipeline() {
        Build build = StateReactorTest.build().withPipelineSteps(1, StateReactorTest.T0, "system:test");
        List<Job> controlPlaneJobs = List.of(passed(BootstrapBuilds.FORK_APPROVAL_KEY, JobKind.BLOCK),
                passed(BootstrapBuilds.BOOTSTRAP_KEY, JobKind.BOOTSTRAP));

        assertEquals(BuildState.RUNNING, StateReactor.derivedState(build, controlPlaneJobs));
    }

    @Test
    void shouldPassTheBuild_whenItsOnlyPipelineStepPassedBehindTheForkGate() {
        Build build = StateReactorTest.build().withPipelineSteps(1, StateReactorTest.T0, "system:test");
        List<Job> all = List.of(passed(BootstrapBuilds.FORK_APPROVAL_KEY, JobKind.BLOCK),
                passed(BootstrapBuilds.BOOTSTRAP_KEY, JobKind.BOOTSTRAP), passed("test", JobKind.COMMAND));

        assertEquals(BuildState.PASSED, StateReactor.derivedState(build, all));
    }
}
