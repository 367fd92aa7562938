package io.hybridci.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.job.RetryPolicy.AutomaticRetry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real pipeline files under {@code src/test/resources/pipelines}: valid ones parse to the expected model, invalid ones to the exact errors beside them. */
class PipelineFixturesTest {

    static String resource(String path) {
        try (InputStream in = PipelineFixturesTest.class.getResourceAsStream("/pipelines/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource pipelines/" + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Pipeline parsedFixture(String name) {
        ParseResult result = PipelineParser.parse(resource("valid/" + name));
        if (result instanceof ParseResult.Invalid invalid) {
            throw new AssertionError("expected " + name + " to parse, got:\n" + invalid.report());
        }
        return ((ParseResult.Parsed) result).pipeline();
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown-key", "cycle", "missing-dependency", "bad-yaml", "many-mistakes"})
    void shouldReportExactlyTheExpectedErrors_whenFixtureIsInvalid(String name) {
        ParseResult result = PipelineParser.parse(resource("invalid/" + name + ".yml"));

        ParseResult.Invalid invalid = assertInstanceOf(ParseResult.Invalid.class, result);
        assertEquals(resource("invalid/" + name + ".errors").strip(), invalid.report());
    }

    @Test
    void shouldParseEveryStepWithItsFields_whenBuildTestApproveDeployPipeline() {
        Pipeline pipeline = parsedFixture("build-test-deploy.yml");

        assertEquals(Map.of("APP_NAME", "shop", "LOG_LEVEL", "info"), pipeline.env());
        assertEquals(List.of("build", "unit", "integration", "approve", "deploy-production"),
                pipeline.steps().stream().map(Step::key).toList());

        CommandStep build = (CommandStep) pipeline.steps().get(0);
        assertEquals(":hammer: Build", build.label());
        assertEquals("./gradlew assemble\n./scripts/upload-artifacts.sh", build.command());
        assertEquals("linux-large", build.queue(), "queue comes from the merged x-linux anchor");
        assertEquals(OptionalInt.of(30), build.timeoutInMinutes());
        assertEquals(RetryPolicy.DEFAULT, build.retry());
        assertEquals(Map.of("GRADLE_OPTS", "-Xmx2g"), build.env());

        CommandStep unit = (CommandStep) pipeline.steps().get(1);
        assertEquals("./gradlew test", unit.label());
        assertEquals(List.of("build"), unit.dependsOn());
        assertEquals(new RetryPolicy(List.of(AutomaticRetry.onExitStatus(-1, 3), AutomaticRetry.onAnyFailure(1)), false),
                unit.retry());

        CommandStep integration = (CommandStep) pipeline.steps().get(2);
        assertEquals("default", integration.queue());
        assertEquals(new RetryPolicy(List.of(AutomaticRetry.onAnyFailure(2)), true), integration.retry());
        assertEquals(Optional.of(new ConcurrencyLimit("shop/integration-db", 2)), integration.concurrency());
        assertEquals(5, integration.priority());
        assertEquals(Optional.of("build.branch == \"main\""), integration.condition());

        BlockStep approve = (BlockStep) pipeline.steps().get(3);
        assertEquals(":rocket: Release to production?", approve.label());
        assertEquals(Optional.of("Check the staging dashboard first."), approve.prompt());
        assertEquals(List.of("unit", "integration"), approve.dependsOn());
        assertEquals(List.of("release-managers"), approve.allowedRoles());
        assertEquals(List.of(
                new BlockStep.Field("release-notes", "Release notes", false, Optional.empty(), List.of()),
                new BlockStep.Field("region", "Region", true, Optional.of("eu-west-1"), List.of("eu-west-1", "us-east-1"))),
                approve.fields());

        DeployStep deploy = (DeployStep) pipeline.steps().get(4);
        assertEquals("Deploy to production", deploy.label());
        assertEquals("deployers", deploy.queue());
        assertEquals(new DeployStep.Deployment("production", DeployStep.Strategy.BLUE_GREEN,
                Optional.of("curl -fsS https://shop.example.com/health"),
                Optional.of("./scripts/switch-traffic.sh"),
                Optional.of("./scripts/switch-traffic.sh --previous")), deploy.deploy());
        assertEquals(new ConcurrencyLimit("deploy-production", 1), deploy.concurrency());
    }

    @Test
    void shouldGenerateKeyLabelAndQueue_whenMinimalPipelineGivesOnlyACommand() {
        Pipeline pipeline = parsedFixture("minimal.yml");

        CommandStep only = (CommandStep) pipeline.steps().getFirst();
        assertEquals("step-1", only.key());
        assertEquals("echo hello", only.label());
        assertEquals(PipelineParser.DEFAULT_QUEUE, only.queue());
        assertTrue(only.dependsOn().isEmpty());
        assertEquals(RetryPolicy.DEFAULT, only.retry());
    }
}
