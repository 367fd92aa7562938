package io.hybridci.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.local.cli.Cli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI ({@code ./hybridci builds|build|log|agents|cancel|retry|audit verify}) against a local cloud in this
 * JVM: a signed push makes a build whose bootstrap job waits (no agent), then every command is run through
 * {@link Cli#run} with its output captured, the token from the environment or from {@code <data>/admin-token}.
 */
class CliIT {

    @TempDir
    static Path temp;

    static LocalCloud cloud;
    static CloudDriver driver;
    static String commit;
    static String buildId;
    static String jobId;

    /** One command's exit status and what it printed. */
    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void startCloudWithAWaitingBuild() {
        cloud = LocalCloud.start(new LocalCloudOptions(temp.resolve("data"), 0, Clock.systemUTC(), List.of("default"),
                CloudDriver.NODE_MODULES, false, null));
        driver = new CloudDriver(cloud);
        commit = CloudDriver.newCommit();
        assertEquals(202, driver.push(CloudDriver.newDeliveryId(), commit).statusCode());
        JsonNode build = driver.awaitBuildWithJob(commit, "QUEUED");
        buildId = build.path("id").asText();
        jobId = build.path("jobs").path(0).path("id").asText();
    }

    @AfterAll
    static void stopCloud() {
        if (cloud != null) cloud.close();
    }

    static Run cli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] withUrl = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--url", cloud.baseUrl()))
                .toArray(String[]::new);
        int exit = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env)
                .run(withUrl);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run admin(String... args) {
        return cli(Map.of(Cli.TOKEN_ENV, cloud.credentials().adminToken()), args);
    }

    @Test
    void shouldListTheBuildInATable_whenFilteredByItsRepoAndState() {
        String state = driver.admin("/api/v1/builds/" + buildId).path("state").asText();

        Run matching = admin("builds", "--repo", "acme/widgets", "--state", state.toLowerCase());
        Run other = admin("builds", "--repo", "acme/other");

        assertEquals(0, matching.exit(), matching.err());
        assertTrue(matching.out().lines().findFirst().orElseThrow().matches("ID +STATE +REPO +BRANCH +COMMIT.*"), matching.out());
        assertTrue(matching.out().contains(buildId) && matching.out().contains(commit.substring(0, 7)), matching.out());
        assertEquals("No builds match.", other.out().strip());
    }

    @Test
    void shouldPrintTheApisJson_whenAskedForJson() throws Exception {
        Run json = admin("builds", "--json", "--limit", "5");

        JsonNode parsed = new ObjectMapper().readTree(json.out());
        assertTrue(parsed.path("builds").isArray() && parsed.path("builds").size() <= 5, json.out());
        assertTrue(json.out().contains(buildId));
    }

    @Test
    void shouldShowTheBuildsJobs_whenOneBuildIsAskedFor() {
        Run shown = admin("build", buildId);

        assertEquals(0, shown.exit(), shown.err());
        assertTrue(shown.out().contains("acme/widgets") && shown.out().contains(jobId) && shown.out().contains("bootstrap"), shown.out());
    }

    @Test
    void shouldCancelAndThenFollowTheLogToItsEnd_whenAJobIsCanceled() {
        // A job of its own, so the other tests' build keeps its QUEUED job.
        String ownCommit = CloudDriver.newCommit();
        assertEquals(202, driver.push(CloudDriver.newDeliveryId(), ownCommit).statusCode());
        String ownJob = driver.awaitBuildWithJob(ownCommit, "QUEUED").path("jobs").path(0).path("id").asText();

        Run canceled = admin("cancel", ownJob);
        Run followed = admin("log", ownJob, "--follow");

        assertEquals(0, canceled.exit(), canceled.err());
        assertTrue(canceled.out().matches("(?s)job " + ownJob + " \\(bootstrap, attempt 1\\) is CANCEL.*"), canceled.out());
        assertEquals(0, followed.exit(), followed.err());
        assertTrue(followed.err().contains("[job CANCELED]"), "follow stops when the log is complete: " + followed.err());
    }

    @Test
    void shouldSayTheChainsAreVerified_whenNothingWasTamperedWith() {
        Run verified = admin("audit", "verify");

        assertEquals(0, verified.exit(), verified.err());
        assertTrue(verified.out().startsWith("Audit chains verified: "), verified.out());
    }

    @Test
    void shouldReadTheTokenFromTheDataDir_whenNoTokenIsInTheEnvironment() throws Exception {
        Path data = Files.createDirectories(temp.resolve("cli-data"));
        Files.writeString(data.resolve("admin-token"), cloud.credentials().adminToken() + "\n");

        Run agents = cli(Map.of(), "agents", "--data", data.toString());

        assertEquals(0, agents.exit(), agents.err());
        assertTrue(agents.out().startsWith("No agents"), agents.out());
    }

    @Test
    void shouldFailWithTheApisAnswer_whenTheTokenIsWrong() {
        Run refused = cli(Map.of(Cli.TOKEN_ENV, "hcadmin_wrong"), "builds");

        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("HTTP 401"), refused.err());
        assertFalse(refused.err().contains("hcadmin_wrong"), "the token is never printed");
    }

    @Test
    void shouldSayWhereItLooked_whenNothingAnswersAtTheUrl() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Cli(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(Cli.TOKEN_ENV, "hcadmin_any")).run(new String[] {"agents", "--url", "http://127.0.0.1:1"});

        assertEquals(1, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot reach http://127.0.0.1:1 (ConnectException)"), err::toString);
    }

    @Test
    void shouldListShowAndRefuseARollback_whenAnEnvironmentHasNothingLive() throws Exception {
        java.net.http.HttpResponse<String> put = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(cloud.baseUrl() + "/api/v1/environments/cli-env"))
                        .header("Authorization", "Bearer " + cloud.credentials().adminToken())
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"requireApproval\": true, \"allowedBranches\": [\"main\"]}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(201, put.statusCode(), put.body());

        Run listed = admin("environments");
        Run shown = admin("environment", "cli-env");
        Run rollback = admin("rollback", "cli-env");

        assertEquals(0, listed.exit(), listed.err());
        assertTrue(listed.out().lines().findFirst().orElseThrow().matches("NAME +LIVE COLOUR +LIVE VERSION +APPROVAL.*"),
                listed.out());
        assertTrue(listed.out().lines().anyMatch(line -> line.startsWith("cli-env") && line.contains("required")
                && line.contains("main")), listed.out());
        assertEquals(0, shown.exit(), shown.err());
        assertTrue(shown.out().startsWith("cli-env  live – (nothing live yet)"), shown.out());
        assertTrue(shown.out().contains("approval required, branches main, approvers any"), shown.out());
        assertEquals(1, rollback.exit());
        assertTrue(rollback.err().contains("nothing is live in environment cli-env"), rollback.err());
    }

    @Test
    void shouldPrintTheUsage_whenTheCommandIsUnknown() {
        Run unknown = cli(Map.of(), "frobnicate");

        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("usage: ./hybridci"), unknown.err());
    }
}
