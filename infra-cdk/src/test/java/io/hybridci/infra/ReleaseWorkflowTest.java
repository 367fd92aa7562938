package io.hybridci.infra;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release workflow of the control plane ({@code .github/workflows/release.yml}, issue 9). GitHub
 * cannot run it here, so this test reads it as GitHub would (YAML 1.2: {@code on} stays a key) and
 * checks what it promises: its triggers, the test → synth → staging → production chain, the
 * environments, OIDC-only credentials with the least permissions, a deploy of cdk.json's app with the
 * context keys {@link HybridCiApp} reads, and every action pinned to a commit.
 *
 * <p>The YAML parser is Jackson 3's (YAML 1.2), a test dependency of this module.
 */
class ReleaseWorkflowTest {

    private static final Path ROOT = Path.of(System.getProperty("hybridci.root", ".."));
    private static final Path WORKFLOW = ROOT.resolve(".github/workflows/release.yml");
    private static final List<String> CHAIN = List.of("test", "synth", "deploy-staging", "deploy-production");
    private static final Map<String, String> ENVIRONMENTS = Map.of(
            "deploy-staging", "staging", "deploy-production", "production");
    /** owner/repo[/path]@<40 hex>: a tag or branch can be moved under us, a commit cannot. */
    private static final Pattern PINNED = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}");

    private static String text() {
        try {
            return Files.readString(WORKFLOW);
        } catch (IOException e) {
            throw new AssertionError(WORKFLOW + " cannot be read: the release workflow is missing", e);
        }
    }

    private static Map<String, Object> workflow() {
        return parse(text());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String yaml) {
        return new YAMLMapper().readValue(yaml, Map.class);
    }

    private static Map<String, Object> jobs(Map<String, Object> workflow) {
        return SynthesizedStack.map(workflow.get("jobs"));
    }

    private static Map<String, Object> job(String name) {
        Map<String, Object> job = SynthesizedStack.map(jobs(workflow()).get(name));
        assertTrue(job != null, "job " + name + " is missing");
        return job;
    }

    private static List<Map<String, Object>> steps(String jobName) {
        return SynthesizedStack.list(job(jobName).get("steps"));
    }

    /** The run scripts of a job, joined. */
    private static String runs(String jobName) {
        return String.join("\n", steps(jobName).stream()
                .map(step -> String.valueOf(step.getOrDefault("run", ""))).toList());
    }

    /** {@code needs} is a string or a list in GitHub's syntax. */
    private static List<String> needs(Map<String, Object> job) {
        Object needs = job.get("needs");
        if (needs == null) {
            return List.of();
        }
        return needs instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of(needs.toString());
    }

    /** {@code environment} is a name or {@code {name, url}}. */
    private static String environment(Map<String, Object> job) {
        Object environment = job.get("environment");
        return environment instanceof Map<?, ?> map ? String.valueOf(map.get("name"))
                : environment == null ? null : environment.toString();
    }

    @Test
    void shouldRunOnPushToMainOnVersionTagsAndByHand_whenTriggers() {
        Map<String, Object> on = SynthesizedStack.map(workflow().get("on"));
        Map<String, Object> push = SynthesizedStack.map(on.get("push"));

        assertEquals(List.of("main"), push.get("branches"));
        assertEquals(List.of("v*"), push.get("tags"));
        assertTrue(on.containsKey("workflow_dispatch"), "a release can be started by hand");
        assertFalse(on.containsKey("pull_request") || on.containsKey("pull_request_target"),
                "code from a pull request never reaches a job that can deploy");
    }

    @Test
    void shouldTestThenSynthThenDeployStagingThenProduction_whenJobs() {
        assertEquals(Set.copyOf(CHAIN), jobs(workflow()).keySet());
        assertEquals(List.of(), needs(job("test")));
        for (int i = 1; i < CHAIN.size(); i++) {
            assertEquals(List.of(CHAIN.get(i - 1)), needs(job(CHAIN.get(i))), CHAIN.get(i) + " waits for " + CHAIN.get(i - 1));
        }
    }

    @Test
    void shouldDeployOnlyInsideTheirEnvironments_whenDeployJobs() {
        for (String name : CHAIN) {
            assertEquals(ENVIRONMENTS.get(name), environment(job(name)), "environment of " + name);
        }
        for (String name : ENVIRONMENTS.keySet()) {
            String condition = String.valueOf(job(name).get("if"));
            assertTrue(condition.contains("refs/heads/main") && condition.contains("refs/tags/v"),
                    name + " deploys only main and version tags: " + condition);
            Map<String, Object> concurrency = SynthesizedStack.map(job(name).get("concurrency"));
            assertEquals(false, concurrency.get("cancel-in-progress"), name + ": a running canary is never cut short");
        }
    }

    @Test
    void shouldGrantNothingAtTheTopAndAnOidcTokenOnlyToDeployJobs_whenPermissions() {
        assertEquals(Map.of(), workflow().get("permissions"), "top-level permissions are empty: every job asks for its own");
        for (String name : CHAIN) {
            Map<String, Object> permissions = SynthesizedStack.map(job(name).get("permissions"));
            Map<String, Object> expected = ENVIRONMENTS.containsKey(name)
                    ? Map.of("contents", "read", "id-token", "write")
                    : Map.of("contents", "read");
            assertEquals(expected, permissions, "permissions of " + name);
        }
    }

    @Test
    void shouldNeverHoldAnAwsKey_whenCredentials() {
        String text = text();
        for (String forbidden : List.of("aws-access-key-id", "aws-secret-access-key", "aws-session-token",
                "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "secrets.")) {
            assertFalse(text.contains(forbidden), "the workflow mentions " + forbidden + ": AWS access is OIDC only");
        }
        for (String name : ENVIRONMENTS.keySet()) {
            List<Map<String, Object>> credentials = steps(name).stream()
                    .filter(step -> String.valueOf(step.get("uses")).startsWith("aws-actions/configure-aws-credentials@"))
                    .toList();
            assertEquals(1, credentials.size(), name + " assumes exactly one role");
            Map<String, Object> with = SynthesizedStack.map(credentials.getFirst().get("with"));
            assertEquals("${{ vars.AWS_DEPLOY_ROLE_ARN }}", with.get("role-to-assume"),
                    name + ": the role comes from the environment's variables, not from the file");
            assertEquals(Set.of("role-to-assume", "aws-region", "role-session-name"), with.keySet(), name);
        }
        assertFalse(runs("test").contains("aws ") || runs("synth").contains("aws "), "no AWS call before the deploy jobs");
    }

    @Test
    void shouldDeployCdkJsonsAppWithTheContextTheAppReads_whenDeploySteps() throws IOException {
        Map<?, ?> cdkJson = JsonMapper.builder().build().readValue(Files.readString(ROOT.resolve("cdk.json")), Map.class);
        assertEquals("infra-cdk/synth.sh", cdkJson.get("app"));
        assertFalse(cdkJson.containsKey("requireApproval"), "approval is skipped in CI only, never for people");

        assertTrue(runs("synth").contains("npm ci") && runs("synth").contains("npx cdk synth"), runs("synth"));
        assertEquals(".ci/run", runs("test").lines().map(String::strip).filter(line -> line.equals(".ci/run"))
                .findFirst().orElse(""), "the test job runs the project's own CI command");
        for (String name : ENVIRONMENTS.keySet()) {
            String runs = runs(name);
            assertTrue(runs.contains("npm ci"), name + " uses the CLI pinned by package-lock.json");
            List<String> deploys = runs.lines().filter(line -> line.contains("cdk deploy")).toList();
            assertEquals(1, deploys.size(), name + " deploys once: " + deploys);
            String deploy = deploys.getFirst();
            assertTrue(deploy.contains("npx cdk deploy " + HybridCiApp.STACK_NAME + " "), deploy);
            assertTrue(deploy.contains("--require-approval never"), deploy);
            assertFalse(deploy.contains("--app") || deploy.contains(" -a "), "the app is cdk.json's: " + deploy);
            for (String key : List.of(HybridCiApp.PRODUCTION_CONTEXT, HybridCiApp.ALARM_EMAIL_CONTEXT,
                    HybridCiApp.AGENT_QUEUES_CONTEXT, HybridCiApp.SIGN_IN_DOMAIN_CONTEXT)) {
                assertTrue(runs.contains("-c \"" + key + "="), name + " passes context " + key);
            }
            assertTrue(runs.contains(".github/scripts/check-release.sh"), name + " checks the release after the deploy");
        }
        assertEquals("false", SynthesizedStack.map(job("deploy-staging").get("env")).get("PRODUCTION"));
        assertEquals("true", SynthesizedStack.map(job("deploy-production").get("env")).get("PRODUCTION"));
        assertTrue(Files.isExecutable(ROOT.resolve(".github/scripts/check-release.sh")), "check-release.sh is executable");
        assertFalse(runs("test").contains("--require-approval") || runs("synth").contains("cdk deploy"));
    }

    @Test
    void shouldSetUpJdk25AndNode20_whenEveryJob() {
        for (String name : CHAIN) {
            Map<String, Object> java = with(name, "actions/setup-java@");
            assertEquals("temurin", java.get("distribution"), name);
            assertEquals("25", String.valueOf(java.get("java-version")), name + ": ./hybridci needs JDK 25");
            assertEquals("20", String.valueOf(with(name, "actions/setup-node@").get("node-version")), name);
        }
    }

    private static Map<String, Object> with(String jobName, String actionPrefix) {
        return steps(jobName).stream().filter(step -> String.valueOf(step.get("uses")).startsWith(actionPrefix))
                .map(step -> SynthesizedStack.map(step.get("with"))).findFirst()
                .orElseThrow(() -> new AssertionError(jobName + " does not use " + actionPrefix));
    }

    @Test
    void shouldPinEveryActionToACommitWithItsVersionInAComment_whenUses() {
        assertEquals(List.of(), unpinned(text()));
    }

    @Test
    void shouldNameEveryUnpinnedAction_whenTagsBranchesOrNoComment() {
        String bad = """
                jobs:
                  a:
                    steps:
                      - uses: actions/checkout@v4
                      - uses: actions/setup-java@main # v4
                      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020
                      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2
                """;
        assertEquals(List.of("actions/checkout@v4", "actions/setup-java@main",
                "actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 (no # version comment)"), unpinned(bad));
    }

    /**
     * Every {@code uses:} of the parsed workflow (steps and reusable-workflow jobs) that is not a full
     * commit SHA, and every pinned one whose line lacks the {@code # vX} comment a reviewer updates by.
     */
    private static List<String> unpinned(String yaml) {
        Set<String> uses = new LinkedHashSet<>();
        jobs(parse(yaml)).values().stream().map(SynthesizedStack::map).forEach(job -> {
            if (job.get("uses") != null) {
                uses.add(job.get("uses").toString());
            }
            for (Map<String, Object> step : SynthesizedStack.list(job.getOrDefault("steps", List.of()))) {
                if (step.get("uses") != null) {
                    uses.add(step.get("uses").toString());
                }
            }
        });
        assertFalse(uses.isEmpty(), "no uses: found");
        // Each line, not each distinct action: a second use of the same commit needs its comment too.
        Matcher lines = Pattern.compile("(?m)^\\s*(?:-\\s*)?uses:\\s*(\\S+)(.*)$").matcher(yaml);
        Set<String> onLines = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        while (lines.find()) {
            String use = lines.group(1);
            onLines.add(use);
            if (!PINNED.matcher(use).matches()) {
                problems.add(use);
            } else if (!lines.group(2).matches("\\s+#\\s*v\\d.*")) {
                problems.add(use + " (no # version comment)");
            }
        }
        assertEquals(uses, onLines, "every uses: is on a line of its own");
        return problems;
    }
}
