package io.hybridci.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.job.RetryPolicy.AutomaticRetry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PipelineParserTest {

    private static Pipeline parsed(String yaml) {
        ParseResult result = PipelineParser.parse(yaml);
        if (result instanceof ParseResult.Invalid invalid) {
            throw new AssertionError("expected a valid pipeline, got:\n" + invalid.report());
        }
        return ((ParseResult.Parsed) result).pipeline();
    }

    private static String errors(String yaml) {
        return assertInstanceOf(ParseResult.Invalid.class, PipelineParser.parse(yaml)).report();
    }

    private static CommandStep onlyCommand(String yaml) {
        return (CommandStep) parsed(yaml).steps().getFirst();
    }

    // ------------------------------------------------------------------ defaults and forms

    @Test
    void shouldUseFirstLineOfCommandAsLabel_whenLabelIsMissing() {
        CommandStep step = onlyCommand("steps:\n  - command: |\n      make all\n      make check\n");

        assertEquals("make all", step.label());
        assertEquals("make all\nmake check", step.command());
    }

    @Test
    void shouldNumberGeneratedKeysByPosition_whenStepsHaveNoKey() {
        Pipeline pipeline = parsed("steps:\n  - command: a\n  - key: b\n    command: b\n  - command: c\n");

        assertEquals(List.of("step-1", "b", "step-3"), pipeline.steps().stream().map(Step::key).toList());
    }

    @Test
    void shouldGiveStepsTheBuildPriority_whenTheyHaveNoneOfTheirOwn() {
        Pipeline pipeline = parsed("priority: 3\nsteps:\n  - key: a\n    command: a\n"
                + "  - key: b\n    command: b\n    priority: -1\n  - key: c\n    command: c\n    priority: 0\n");

        assertEquals(List.of(3, -1, 0), pipeline.steps().stream().map(step -> ((CommandStep) step).priority()).toList());
    }

    @Test
    void shouldReportTheBuildPriority_whenItIsNotAWholeNumber() {
        assertTrue(errors("priority: high\nsteps:\n  - command: a\n").contains("field \"priority\": expected a whole number"),
                errors("priority: high\nsteps:\n  - command: a\n"));
    }

    @Test
    void shouldRetryAnyFailureTwice_whenAutomaticIsTrue() {
        CommandStep step = onlyCommand("steps:\n  - command: a\n    retry: {automatic: true}\n");

        assertEquals(new RetryPolicy(List.of(AutomaticRetry.onAnyFailure(2)), true), step.retry());
    }

    @Test
    void shouldDisableEveryAutomaticRetry_whenAutomaticIsFalse() {
        CommandStep step = onlyCommand("steps:\n  - command: a\n    retry: {automatic: false, manual: {allowed: false}}\n");

        assertEquals(new RetryPolicy(List.of(), false), step.retry());
    }

    @Test
    void shouldKeepDefaultAgentLostRetry_whenOnlyManualRetryIsConfigured() {
        CommandStep step = onlyCommand("steps:\n  - command: a\n    retry: {manual: {allowed: false}}\n");

        assertEquals(new RetryPolicy(RetryPolicy.DEFAULT.automatic(), false), step.retry());
    }

    @Test
    void shouldSerializeDeploysPerEnvironment_whenDeployStepNamesNoGroup() {
        DeployStep step = (DeployStep) parsed("steps:\n  - command: ./deploy\n    deploy: {environment: staging}\n")
                .steps().getFirst();

        assertEquals(new ConcurrencyLimit("deploy-staging", 1), step.concurrency());
        assertEquals(DeployStep.Strategy.BLUE_GREEN, step.deploy().strategy());
    }

    @Test
    void shouldDefaultConcurrencyToOne_whenOnlyGroupIsGiven() {
        CommandStep step = onlyCommand("steps:\n  - command: a\n    concurrency_group: db\n");

        assertEquals(Optional.of(new ConcurrencyLimit("db", 1)), step.concurrency());
    }

    @Test
    void shouldKeepEnvValuesAsText_whenWrittenAsNumbersOrBooleans() {
        Pipeline pipeline = parsed("env: {RETRIES: 3, DEBUG: true}\nsteps:\n  - command: a\n");

        assertEquals("3", pipeline.env().get("RETRIES"));
        assertEquals("true", pipeline.env().get("DEBUG"));
    }

    @Test
    void shouldResolveAnchorsAndLetExplicitKeysWin_whenStepMergesDefaults() {
        CommandStep step = onlyCommand("""
                x-defaults: &defaults
                  agents: {queue: linux}
                  timeout_in_minutes: 10
                steps:
                  - <<: *defaults
                    command: make
                    timeout_in_minutes: 20
                """);

        assertEquals("linux", step.queue());
        assertEquals(20, step.timeoutInMinutes().orElseThrow());
    }

    // ------------------------------------------------------------------ document-level errors

    @Test
    void shouldReportMissingSteps_whenDocumentIsEmpty() {
        assertEquals("field \"steps\": the file is empty; a pipeline needs a \"steps:\" list", errors(""));
    }

    @Test
    void shouldReportEmptyList_whenStepsIsEmpty() {
        assertEquals("field \"steps\": the list is empty; add at least one step", errors("steps: []\n"));
    }

    @Test
    void shouldSuggestSteps_whenTopLevelKeyIsMisspelt() {
        assertEquals("""
                field "step": unknown key; did you mean "steps"?
                field "steps": missing; a pipeline needs a "steps:" list""", errors("step:\n  - command: a\n"));
    }

    @Test
    void shouldRejectTopLevelList_whenStepsKeyIsForgotten() {
        assertEquals("expected a mapping with a \"steps:\" list at the top of the file, found a list",
                errors("- command: a\n"));
    }

    @Test
    void shouldRejectDocument_whenLargerThan256KiB() {
        String yaml = "steps:\n  - command: a\n# " + "x".repeat(PipelineParser.MAX_DOCUMENT_BYTES) + "\n";

        assertTrue(errors(yaml).startsWith("the file is " + yaml.length() + " bytes; the limit is 262144"), errors(yaml));
    }

    @Test
    void shouldRejectPipeline_whenMoreThan500Steps() {
        String yaml = "steps:\n" + "  - command: a\n".repeat(PipelineParser.MAX_STEPS + 1);

        assertEquals("field \"steps\": 501 steps; the limit is 500 (split the pipeline, or upload steps in stages)",
                errors(yaml));
    }

    @Test
    void shouldAcceptPipeline_whenExactly500Steps() {
        String yaml = "steps:\n" + "  - command: a\n".repeat(PipelineParser.MAX_STEPS);

        assertEquals(500, parsed(yaml).steps().size());
    }

    @Test
    void shouldStopExpansion_whenAliasesBuildABillionLaughs() {
        String yaml = """
                x-a: &a [x, x, x, x, x, x, x, x, x, x]
                x-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
                x-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
                x-d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
                x-e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
                steps: [*e]
                """;

        assertEquals("the document holds more than 100000 values once aliases are expanded", errors(yaml));
    }

    @Test
    void shouldNotConstructJavaTypes_whenDocumentUsesTags() {
        CommandStep step = onlyCommand("steps:\n  - command: !!javax.script.ScriptEngineManager [x]\n");

        assertEquals("x", step.command());
    }

    @Test
    void shouldReportUnknownAnchor_whenAliasPointsNowhere() {
        assertEquals("step \"a\" (steps[0]) field \"agents\": line 3, column 13: alias *linux refers to no anchor &linux defined before it",
                errors("steps:\n  - key: a\n    agents: *linux\n    command: make\n"));
    }

    @Test
    void shouldReportDuplicateYamlKeyWithPosition_whenMappingRepeatsAKey() {
        assertEquals("step \"a\" (steps[0]) field \"command\": appears twice in the same mapping (again at line 4, column 5)",
                errors("steps:\n  - key: a\n    command: make\n    command: make test\n"));
    }

    @Test
    void shouldReportTabsAsSyntaxError_whenIndentedWithTab() {
        assertTrue(errors("steps:\n\t- command: a\n").startsWith("line 2, column 1: YAML syntax error: "));
    }

    // ------------------------------------------------------------------ step-level errors

    @Test
    void shouldNameTheCycle_whenStepDependsOnItself() {
        assertEquals("step \"a\" (steps[0]) field \"depends_on\": dependency cycle: a → a",
                errors("steps:\n  - key: a\n    command: x\n    depends_on: a\n"));
    }

    @Test
    void shouldNotReportUnknownDependency_whenTargetStepHasErrorsOfItsOwn() {
        assertEquals("step \"a\" (steps[0]) field \"timeout_in_minutes\": expected a whole number, found the string \"ten\"",
                errors("steps:\n  - key: a\n    command: x\n    timeout_in_minutes: ten\n  - command: y\n    depends_on: a\n"));
    }

    @Test
    void shouldReportWrongTypes_whenFieldsHaveTheWrongShape() {
        assertEquals("""
                step "a" (steps[0]) field "agents": expected a mapping like {queue: linux}, found the string "linux"
                step "a" (steps[0]) field "depends_on": expected a step key or a list of step keys, found the number 3
                step "a" (steps[0]) field "retry": expected a mapping like {automatic: true}, found true
                step "a" (steps[0]) field "env": expected a mapping of NAME: value, found a list""",
                errors("steps:\n  - key: a\n    command: x\n    agents: linux\n    depends_on: 3\n    retry: true\n    env: [A]\n"));
    }

    @Test
    void shouldRejectTimeout_whenAboveOneDay() {
        assertEquals("step \"step-1\" (steps[0]) field \"timeout_in_minutes\": must be 1 to 1440 minutes (24 hours), was 1441",
                errors("steps:\n  - command: x\n    timeout_in_minutes: 1441\n"));
    }

    @Test
    void shouldAcceptTimeout_whenExactlyOneDay() {
        assertEquals(1440, onlyCommand("steps:\n  - command: x\n    timeout_in_minutes: 1440\n").timeoutInMinutes().orElseThrow());
    }

    @Test
    void shouldRejectRetryLimit_whenZero() {
        assertEquals("step \"step-1\" (steps[0]) field \"retry.automatic[0].limit\": must be 1 to 10, was 0",
                errors("steps:\n  - command: x\n    retry: {automatic: [{exit_status: 1, limit: 0}]}\n"));
    }

    @Test
    void shouldRejectBlockStep_whenItAlsoHasACommand() {
        assertEquals("step \"step-1\" (steps[0]): a step is either a block step or runs a command; "
                        + "\"block\" cannot be combined with \"command\" or \"deploy\"",
                errors("steps:\n  - block: Go?\n    command: x\n"));
    }

    @Test
    void shouldRequireEnvironment_whenDeployBlockLacksIt() {
        assertEquals("step \"step-1\" (steps[0]) field \"deploy.environment\": missing; name the environment to deploy to",
                errors("steps:\n  - command: x\n    deploy: {strategy: rolling}\n"));
    }

    @Test
    void shouldRejectKey_whenItHasSpaces() {
        assertEquals("step \"step-1\" (steps[0]) field \"key\": \"my step\" is not a valid key; "
                        + "use letters, digits and _ . : - (up to 100, starting with a letter or digit)",
                errors("steps:\n  - key: my step\n    command: x\n"));
    }

    @Test
    void shouldReportDuplicate_whenExplicitKeyEqualsAGeneratedOne() {
        assertEquals("step \"step-1\" (steps[1]) field \"key\": duplicate step key; steps[0] already uses \"step-1\"",
                errors("steps:\n  - command: x\n  - key: step-1\n    command: y\n"));
    }

    @Test
    void shouldListKnownKeys_whenUnknownKeyResemblesNone() {
        assertEquals("step \"step-1\" (steps[0]) field \"agents.zone\": unknown key; known keys here: queue",
                errors("steps:\n  - command: x\n    agents: {zone: eu}\n"));
    }

    @Test
    void shouldFormatTopLevelErrorWithoutStep_whenErrorIsInPipelineEnv() {
        PipelineError error = PipelineError.topLevel("env", "expected a mapping of NAME: value, found a list");

        assertEquals("field \"env\": expected a mapping of NAME: value, found a list", error.toString());
        assertEquals(-1, error.stepIndex());
    }

    @Test
    void shouldFormatStepAndField_whenErrorIsInAStep() {
        PipelineError error = PipelineError.inStep("build", 1, "depends_on", "unknown step key \"tset\"");

        assertEquals("step \"build\" (steps[1]) field \"depends_on\": unknown step key \"tset\"", error.toString());
    }
}
