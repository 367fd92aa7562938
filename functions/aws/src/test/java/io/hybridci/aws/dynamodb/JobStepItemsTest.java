package io.hybridci.aws.dynamodb;

import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.pipeline.BlockStep;
import io.hybridci.core.pipeline.ConcurrencyLimit;
import io.hybridci.core.pipeline.DeployStep;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The pipeline step a job carries ({@code step} attribute) survives the round trip through an item. */
class JobStepItemsTest {

    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    @Test
    void shouldRoundTripTheBlockStepWithItsFields_whenAJobCarriesOne() {
        BlockStep gate = new BlockStep("release", "Release?", Optional.of("Ship it?"), List.of(
                new BlockStep.Field("region", "Which region?", true, Optional.of("eu"), List.of("eu", "us"))),
                List.of("test"), List.of("deployers"), Optional.empty());
        Job job = job(JobKind.BLOCK, null).toBuilder().step(gate).build();

        Job read = JobItems.fromItem(JobItems.toItem(job));

        assertEquals(gate, read.step());
        assertEquals(job, read);
    }

    @Test
    void shouldRoundTripTheDeployStep_whenAJobCarriesOne() {
        DeployStep deploy = new DeployStep("ship", "Ship", "./deploy.sh", new DeployStep.Deployment("production",
                DeployStep.Strategy.BLUE_GREEN, Optional.of("./health.sh"), Optional.of("./switch.sh"),
                Optional.of("./rollback.sh")), "deploy", List.of("test"), OptionalInt.of(30), Map.of("A", "1"),
                new ConcurrencyLimit("deploy-production", 1), Optional.empty());
        Job job = job(JobKind.DEPLOY, "./deploy.sh").toBuilder().step(deploy).build();

        assertEquals(deploy, JobItems.fromItem(JobItems.toItem(job)).step());
    }

    @Test
    void shouldOmitTheAttributeAndReadNull_whenTheJobHasNoStep() {
        Job bootstrap = job(JobKind.BOOTSTRAP, "upload");

        var item = JobItems.toItem(bootstrap);

        assertFalse(item.containsKey("step"));
        assertNull(JobItems.fromItem(item).step());
    }

    static Job job(JobKind kind, String command) {
        return Job.planned("b-1", "k", "K", kind, "default", 0, List.of(), command, Map.of(), null,
                new RetryPolicy(List.of(), false), T0, "system:build-planner");
    }
}
