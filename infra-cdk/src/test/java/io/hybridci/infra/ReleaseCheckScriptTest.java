package io.hybridci.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code .github/scripts/check-release.sh}, the release workflow's check after {@code cdk deploy}, run by real
 * bash against a stand-in {@code aws} on the PATH: AWS cannot be reached from here, so the stand-in answers as
 * the AWS CLI does for these read-only calls (text and JSON output) and the test checks what the script
 * concludes from each answer.
 */
class ReleaseCheckScriptTest {

    private static final Path SCRIPT = Path.of(System.getProperty("hybridci.root", ".."))
            .resolve(".github/scripts/check-release.sh");

    /** Answers by service and operation; the scenario comes from STUB_* variables. Tabs as the CLI's text output. */
    private static final String AWS_STAND_IN = """
            #!/usr/bin/env bash
            echo "$*" >> "$STUB_CALLS"
            case "$1 $2" in
              "cloudformation describe-stacks") echo "$STUB_STATUS" ;;
              "cloudformation list-stack-resources")
                if [[ "$*" == *AWS::CodeDeploy::Application* ]]; then echo "HybridCi-ReleaseApplication-1A2B"
                else printf 'arn:aws:lambda:eu-west-1:111111111111:function:HybridCi-Api-X:live\\tarn:aws:lambda:eu-west-1:111111111111:function:HybridCi-Reaper-Y:live\\n'
                fi ;;
              "deploy list-deployments") echo "$STUB_FAILED" ;;
              "lambda get-alias")
                if [[ "$*" == *AdditionalVersionWeights* ]]; then
                  if [[ "$*" == *Reaper* ]]; then printf '%s\\n' "$STUB_REAPER_WEIGHTS"; else echo null; fi
                else echo 7
                fi ;;
              *) echo "unexpected call: aws $*" >&2; exit 2 ;;
            esac
            """;

    @TempDir
    Path dir;

    private record Run(int exitCode, String output, List<String> calls) {
    }

    private Run check(String status, String failed, String reaperWeights) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path aws = bin.resolve("aws");
        Files.writeString(aws, AWS_STAND_IN);
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwx------"));
        Path calls = dir.resolve("calls.txt");
        Files.deleteIfExists(calls);
        Files.createFile(calls);
        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("PATH", bin + ":" + env.get("PATH"));
        env.put("DEPLOY_STARTED", "1764633600");
        env.put("STUB_CALLS", calls.toString());
        env.put("STUB_STATUS", status);
        env.put("STUB_FAILED", failed);
        env.put("STUB_REAPER_WEIGHTS", reaperWeights);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "check-release.sh finishes");
        return new Run(process.exitValue(), output, Files.readAllLines(calls));
    }

    @Test
    void shouldPassAndNameEachAliasVersion_whenStackCompleteNoCanaryFailedAndAliasesWhole() throws Exception {
        Run run = check("UPDATE_COMPLETE", "0", "{}");

        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("function:HybridCi-Api-X:live -> version 7"), run.output());
        assertTrue(run.output().contains("function:HybridCi-Reaper-Y:live -> version 7"), run.output());
        assertTrue(run.calls().stream().anyMatch(call -> call.startsWith("deploy list-deployments")
                && call.contains("--application-name HybridCi-ReleaseApplication-1A2B")
                && call.contains("start=1764633600")), "canaries since the deploy began: " + run.calls());
        assertTrue(run.calls().stream().anyMatch(call -> call.contains("--function-name arn:aws:lambda:eu-west-1:"
                + "111111111111:function:HybridCi-Reaper-Y --name live")), "function and alias split: " + run.calls());
    }

    @Test
    void shouldFail_whenTheStackRolledBack() throws Exception {
        Run run = check("UPDATE_ROLLBACK_COMPLETE", "0", "null");

        assertEquals(1, run.exitCode());
        assertTrue(run.output().contains("stack HybridCi is UPDATE_ROLLBACK_COMPLETE"), run.output());
    }

    @Test
    void shouldFail_whenACanaryFailedOrStoppedSinceTheDeployBegan() throws Exception {
        Run run = check("UPDATE_COMPLETE", "1", "null");

        assertEquals(1, run.exitCode());
        assertTrue(run.output().contains("1 CodeDeploy deployment(s) of HybridCi-ReleaseApplication-1A2B failed or stopped"),
                run.output());
    }

    @Test
    void shouldFail_whenAnAliasStillSplitsTraffic() throws Exception {
        Run run = check("UPDATE_COMPLETE", "0", "{\n    \"8\": 0.1\n}");

        assertEquals(1, run.exitCode());
        assertTrue(run.output().contains("HybridCi-Reaper-Y:live still splits traffic beyond version 7: {\"8\":0.1}"),
                run.output());
    }
}
