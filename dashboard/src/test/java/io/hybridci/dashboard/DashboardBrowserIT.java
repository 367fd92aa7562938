package io.hybridci.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.agent.Main;
import io.hybridci.local.LocalCloud;
import io.hybridci.local.LocalCloudOptions;
import io.hybridci.topology.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The dashboard in a real browser: a local cloud in this JVM serving {@code public/}, the real agent
 * as a child process, a signed GitHub push for a git repository in a temp dir, then the node test
 * runner driving Debian's headless Chromium through playwright-core ({@code test/*.test.mjs}).
 * Screenshots of every page land in {@code target/screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("HYBRIDCI_CHROMIUM", "/usr/bin/chromium"));
    private static final Duration PIPELINE_JOBS_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration NODE_TIMEOUT = Duration.ofMinutes(8);

    /**
     * Quick steps pass at once; "release" is a block step waiting for the page's Approve, "deploy" one whose approval
     * form asks for fields; "slow" prints a coloured line a second for five minutes, long enough
     * for the page to stream it and to cancel it from the page.
     */
    private static final String PIPELINE = """
            steps:
              - key: compile
                label: Compile
                command: printf '\\033[1;34m==>\\033[0m compiling\\n\\033[32mok\\033[0m\\n'
              - key: unit
                label: Unit tests
                command: printf '\\033[32m12 passed\\033[0m, \\033[33m1 skipped\\033[0m\\n'
                depends_on: compile
              - block: "Release?"
                key: release
                depends_on: unit
              - block: "Deploy?"
                key: deploy
                prompt: Where should this build go?
                depends_on: unit
                fields:
                  - key: environment
                    text: Environment
                    options: [staging, production]
                  - key: ticket
                    text: Change ticket
                    required: false
              - key: slow
                label: Integration (slow)
                command: for i in $(seq 1 300); do printf '\\033[32mtick %d\\033[0m \\033[2mwaiting on the fixture\\033[0m\\n' $i; sleep 1; done
                depends_on: compile
            """;

    /** GitHub's clone URL as a push names it; the agent's git is pointed at the temp repository instead. */
    private static final String CLONE_URL = "https://github.com/acme/dashboard-demo.git";

    @TempDir
    static Path temp;

    private final Path moduleDir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    private final HttpClient http = HttpClient.newHttpClient();
    private LocalCloud cloud;
    private Process agent;

    @BeforeAll
    void startCloudAndAgent() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail(CHROMIUM + " is missing: the browser tests need Debian's Chromium. Install it with "
                    + "`apt-get update && apt-get install -y chromium` (the project's .ci/run does).");
        }
        if (!Files.isDirectory(moduleDir.resolve("node_modules/playwright-core"))) {
            fail("playwright-core is missing: run `npm ci --prefix dashboard` (pinned by dashboard/package-lock.json).");
        }
        Path nodeModules = moduleDir.resolve("../local/node_modules").normalize();
        cloud = LocalCloud.start(new LocalCloudOptions(temp.resolve("cloud"), 0, Clock.systemUTC(), List.of("default"),
                nodeModules, true, moduleDir.resolve("public")));
        HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create(cloud.baseUrl() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (index.statusCode() != 200 || !index.body().contains("Hybrid CI")) {
            fail("the local cloud does not serve the dashboard at / (HTTP " + index.statusCode() + "): LocalCloud must pass "
                    + "options.dashboardDir() to HttpGateway.Builder.staticFiles(\"/\", …)");
        }
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, Main.class.getName(),
                "--url", cloud.baseUrl(), "--name", "browser-it-agent", "--spawn", "2",
                "--work-dir", temp.resolve("work").toString())
                .redirectErrorStream(true).redirectOutput(temp.resolve("agent.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // The token goes through the environment, so it does not show in ps.
        builder.environment().put(Main.TOKEN_ENV, cloud.credentials().registrationToken());
        // A push names an https clone URL (the schema insists); git's own URL rewriting sends the agent's
        // checkout to the repository in the temp dir, so no request leaves the machine.
        builder.environment().put("GIT_CONFIG_COUNT", "1");
        builder.environment().put("GIT_CONFIG_KEY_0", "url." + temp.resolve("dashboard-demo") + ".insteadOf");
        builder.environment().put("GIT_CONFIG_VALUE_0", CLONE_URL);
        agent = builder.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (agent != null) {
            agent.destroy();
            if (!agent.waitFor(30, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    /**
     * An unsigned agent message with markup in it: job-updater rejects it and keeps it in agent-updates-dlq, for the
     * dead-letters page to show (as text). Returns its SQS message id once it is there.
     */
    private String deadLetterAnAgentMessage() throws InterruptedException {
        String dlq = Topology.dlqName(Topology.AGENT_UPDATES_QUEUE);
        long before = cloud.approximateMessages(dlq);
        String id = cloud.clients().sqs().sendMessage(r -> r.queueUrl(cloud.queueUrl(Topology.AGENT_UPDATES_QUEUE))
                .messageBody("{\"type\":\"finished\",\"note\":\"browser-it poison <b>not bold</b>\"}")
                .messageGroupId("browser-it-poison").messageDeduplicationId(UUID.randomUUID().toString())).messageId();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (cloud.approximateMessages(dlq) <= before) {
            if (System.nanoTime() > deadline) {
                fail("the unsigned agent message " + id + " did not reach " + dlq + " in 60 s");
            }
            Thread.sleep(200);
        }
        return id;
    }

    @Test
    void shouldPassEveryBrowserTest_whenThePagesRunAgainstALocalCloudWithAnAgent() throws Exception {
        String buildId = pushAndAwaitBuild();
        awaitPipelineJobs(buildId);
        String poisonMessageId = deadLetterAnAgentMessage();
        Path screenshots = moduleDir.resolve("target/screenshots");
        Path output = moduleDir.resolve("target/browser-tests.log");
        Files.createDirectories(screenshots);
        ProcessBuilder node = new ProcessBuilder(System.getenv().getOrDefault("HYBRIDCI_NODE", "node"),
                "--test", "--test-concurrency=1", "test/")
                .directory(moduleDir.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        node.environment().put("HYBRIDCI_URL", cloud.baseUrl());
        node.environment().put("HYBRIDCI_ADMIN_TOKEN", cloud.credentials().adminToken());
        node.environment().put("HYBRIDCI_BUILD_ID", buildId);
        node.environment().put("HYBRIDCI_POISON_MESSAGE_ID", poisonMessageId);
        node.environment().put("HYBRIDCI_SCREENSHOTS", screenshots.toString());
        node.environment().put("HYBRIDCI_CHROMIUM", CHROMIUM.toString());
        // For ./hybridci login's test (oidc.browser.test.mjs): the CLI is io.hybridci.local.cli.Cli on this classpath.
        node.environment().put("HYBRIDCI_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        node.environment().put("HYBRIDCI_CLASSPATH", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        node.environment().remove("HYBRIDCI_TOKEN");
        Process tests = node.start();
        boolean finished = tests.waitFor(NODE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            tests.destroyForcibly();
        }
        String report = Files.readString(output);
        assertTrue(finished, () -> "the browser tests did not finish in " + NODE_TIMEOUT + ":\n" + report + "\n" + diagnosis(buildId));
        assertEquals(0, tests.exitValue(), () -> "browser tests failed:\n" + report + "\n" + diagnosis(buildId));
        assertTrue(report.contains("# fail 0"), report);
        assertTrue(Files.exists(screenshots.resolve("03-build-log-streaming.png")), "the streaming log was photographed");
    }

    /**
     * What a failed run needs to be understood from CI's output alone: the build's jobs as the API has them,
     * the log of every job that is not RUNNING, and the end of the agent's own log (the temp dir is gone by then).
     */
    private String diagnosis(String buildId) {
        StringBuilder out = new StringBuilder();
        try {
            JsonNode build = JSON.readTree(apiGet("/api/v1/builds/" + buildId));
            out.append("build ").append(buildId).append(" is ").append(build.path("state").asText()).append('\n');
            for (JsonNode job : build.path("jobs")) {
                out.append("  job ").append(job.path("key").asText()).append(' ').append(job.path("state").asText())
                        .append(" reason=").append(job.path("reason").asText(null))
                        .append(" exit=").append(job.path("exitStatus").asText(null)).append('\n');
                if (!"RUNNING".equals(job.path("state").asText())) {
                    for (JsonNode chunk : JSON.readTree(apiGet("/api/v1/jobs/" + job.path("id").asText() + "/log")).path("chunks")) {
                        out.append("    | ").append(chunk.path("chunk").asText().replace("\n", "\n    | ")).append('\n');
                    }
                }
            }
        } catch (Exception failure) {
            out.append("could not read the build: ").append(failure).append('\n');
        }
        try {
            List<String> lines = Files.readAllLines(temp.resolve("agent.log"));
            out.append("last lines of the agent's log:\n");
            lines.subList(Math.max(0, lines.size() - 80), lines.size()).forEach(line -> out.append("  > ").append(line).append('\n'));
        } catch (Exception failure) {
            out.append("could not read the agent's log: ").append(failure).append('\n');
        }
        return out.toString();
    }

    /**
     * Waits until the agent has run the bootstrap job and the planner has made the pipeline's jobs, so the
     * page tests start from a build that has them: on a slow machine (CI once) the agent JVM can take minutes
     * to take its first job, longer than a page test waits for a job to show. A build that never gets them
     * fails here, with the diagnosis, rather than as four page timeouts.
     */
    private void awaitPipelineJobs(String buildId) throws Exception {
        Instant deadline = Instant.now().plus(PIPELINE_JOBS_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            JsonNode build = JSON.readTree(apiGet("/api/v1/builds/" + buildId));
            for (JsonNode job : build.path("jobs")) {
                if ("slow".equals(job.path("key").asText())) {
                    return;
                }
            }
            Thread.sleep(250);
        }
        fail("the pipeline's jobs did not appear within " + PIPELINE_JOBS_TIMEOUT + ":" + diagnosis(buildId));
    }

    private String apiGet(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(cloud.baseUrl() + path))
                .header("authorization", "Bearer " + cloud.credentials().adminToken()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Commits the pipeline to a new git repository, sends GitHub's push webhook for it, waits for the build. */
    private String pushAndAwaitBuild() throws Exception {
        Path repo = Files.createDirectories(temp.resolve("dashboard-demo"));
        Files.createDirectories(repo.resolve(".hybridci"));
        Files.writeString(repo.resolve(".hybridci/pipeline.yml"), PIPELINE);
        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", ".");
        git(repo, "-c", "user.name=Mona", "-c", "user.email=mona@example.com", "commit", "-q", "-m", "Add the pipeline");
        String sha = git(repo, "rev-parse", "HEAD");

        ObjectNode payload = JSON.createObjectNode();
        payload.put("ref", "refs/heads/main").put("before", "0".repeat(40)).put("after", sha)
                .put("created", true).put("deleted", false).put("forced", false);
        ObjectNode repository = payload.putObject("repository");
        repository.put("id", 42).put("name", "dashboard-demo").put("full_name", "acme/dashboard-demo")
                .put("private", true).put("clone_url", CLONE_URL).put("html_url", "https://github.com/acme/dashboard-demo")
                .put("default_branch", "main");
        repository.putObject("owner").put("login", "acme").put("name", "acme");
        payload.putObject("pusher").put("name", "mona").put("email", "mona@example.com");
        payload.putObject("sender").put("login", "mona").put("id", 7);
        ObjectNode commit = payload.putObject("head_commit");
        commit.put("id", sha).put("message", "Add the pipeline").put("timestamp", Instant.now().toString())
                .put("url", "https://github.com/acme/dashboard-demo/commit/" + sha);
        commit.putObject("author").put("name", "Mona").put("email", "mona@example.com").put("username", "mona");
        commit.putObject("committer").put("name", "Mona").put("email", "mona@example.com").put("username", "mona");
        payload.putArray("commits").add(commit.deepCopy());
        byte[] body = JSON.writeValueAsBytes(payload);

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(cloud.credentials().webhookSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(cloud.baseUrl() + "/webhooks/github"))
                .header("content-type", "application/json")
                .header("x-github-event", "push")
                .header("x-github-delivery", UUID.randomUUID().toString())
                .header("x-hub-signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal(body)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted::body);

        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            JsonNode builds = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(cloud.baseUrl() + "/api/v1/builds"))
                    .header("authorization", "Bearer " + cloud.credentials().adminToken()).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).get("builds");
            for (JsonNode build : builds) {
                if (sha.equals(build.get("commit").asText())) {
                    return build.get("id").asText();
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the push did not become a build within 60 s");
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }
}
