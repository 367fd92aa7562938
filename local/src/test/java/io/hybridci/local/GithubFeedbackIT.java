package io.hybridci.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.core.status.RecordingGithubServer;
import io.hybridci.core.status.RecordingGithubServer.Call;
import io.hybridci.topology.EnvironmentNames;
import io.hybridci.topology.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a repository sees on GitHub, end to end on one in-process local cloud: a signed push, a scripted agent
 * speaking the real protocol, github-status posting to the {@link RecordingGithubServer} (the cloud started
 * with {@code withGithub}, as {@code ./hybridci up --github-api-url} does).
 *
 * <p>github-status reports the build's state as stored when the event arrives (not the event's {@code to}),
 * so each test waits for one status before it moves the build on: the sequence is then exact, not a race.
 */
class GithubFeedbackIT {

    private static final String TOKEN = "github_pat_localfeedbackit0001";

    @TempDir
    static Path temp;

    static RecordingGithubServer github;
    static LocalCloud cloud;
    static CloudDriver driver;

    @BeforeAll
    static void startCloud() {
        github = RecordingGithubServer.start();
        cloud = LocalCloud.start(new LocalCloudOptions(temp.resolve("data"), 0, Clock.systemUTC(), List.of("default"),
                CloudDriver.NODE_MODULES, false, null)
                .withGithub(new LocalCloudOptions.GithubFeedback(github.baseUrl(), TOKEN))
                .withFunctionEnvironment(Topology.BUILD_PLANNER, EnvironmentNames.CANCEL_SUPERSEDED_BRANCHES, "feature/**")
                .withFunctionEnvironment(Topology.GITHUB_STATUS, EnvironmentNames.GITHUB_STATUS_PER_JOB, "true"));
        driver = new CloudDriver(cloud);
    }

    @AfterAll
    static void stopCloud() {
        if (cloud != null) cloud.close();
        if (github != null) github.close();
    }

    private record Running(ScriptedAgent agent, String jobId, String buildId, String commit) {}

    private Running acceptBootstrapJob(String agentName) {
        return acceptBootstrapJob(agentName, "main");
    }

    private Running acceptBootstrapJob(String agentName, String branch) {
        String commit = CloudDriver.newCommit();
        HttpResponse<String> delivered = pushTo(branch, commit);
        assertEquals(202, delivered.statusCode(), delivered.body());
        JsonNode build = driver.awaitBuildWithJob(commit, "QUEUED");
        String jobId = build.path("jobs").path(0).path("id").asText();
        ScriptedAgent agent = ScriptedAgent.register(cloud.baseUrl(), cloud.credentials().registrationToken(), agentName,
                Clock.systemUTC());
        agent.receiveDispatch(jobId, CloudDriver.DEADLINE);
        HttpResponse<String> accepted = agent.accept(jobId);
        assertEquals(200, accepted.statusCode(), accepted.body());
        return new Running(agent, jobId, build.path("id").asText(), commit);
    }

    /** The accepted build statuses (context {@code hybridci}) on {@code commit}, in the order GitHub took them. */
    private static List<Call> statusesOn(String commit) {
        return statusesOn(commit, "hybridci");
    }

    /** The accepted statuses of {@code context} on {@code commit}, in the order GitHub took them. */
    private static List<Call> statusesOn(String commit, String context) {
        return github.acceptedStatuses().stream().filter(call -> call.path().endsWith("/statuses/" + commit))
                .filter(call -> call.json().path("context").asText().equals(context)).toList();
    }

    private static List<Call> awaitStatuses(String commit, int count) {
        return awaitStatuses(commit, "hybridci", count);
    }

    private static List<Call> awaitStatuses(String commit, String context, int count) {
        return CloudDriver.await(count + " " + context + " statuses on " + commit,
                () -> Optional.of(statusesOn(commit, context)), calls -> calls.size() >= count);
    }

    private static List<String> described(List<Call> calls) {
        return calls.stream().map(call -> call.json().path("state").asText() + " "
                + call.json().path("description").asText().replaceAll(" in \\d+s$", " in Ns")).toList();
    }

    private static List<String> states(List<Call> calls) {
        return calls.stream().map(call -> call.json().path("state").asText()).toList();
    }

    @Test
    void shouldPostPendingThenSuccess_whenTheBuildPasses() {
        Running run = acceptBootstrapJob("status-passing-agent");
        run.agent().send(run.agent().started(run.jobId(), 1, 0));
        awaitStatuses(run.commit(), 1);
        run.agent().send(run.agent().finished(run.jobId(), 1, 1, 0));
        driver.awaitBuild(run.buildId(), "PASSED");

        List<Call> statuses = awaitStatuses(run.commit(), 2);
        assertEquals(List.of("pending", "success"), states(statuses));
        Call first = statuses.getFirst();
        assertEquals("/api/v3/repos/acme/widgets/statuses/" + run.commit(), first.path());
        assertEquals("Build running", first.json().path("description").asText());
        assertEquals("hybridci", first.json().path("context").asText());
        assertEquals(cloud.baseUrl() + "/#/builds/" + run.buildId(), first.json().path("target_url").asText());
        assertTrue(statuses.getLast().json().path("description").asText().startsWith("Build passed"), statuses.getLast().body());
        assertEquals("Bearer " + TOKEN, first.headers().get("authorization"), "the token option must reach the secret");
        assertEquals(List.of(), github.problems());
        run.agent().close();
    }

    @Test
    void shouldPostPendingThenFailure_whenTheBuildFails() {
        Running run = acceptBootstrapJob("status-failing-agent");
        run.agent().send(run.agent().started(run.jobId(), 1, 0));
        awaitStatuses(run.commit(), 1);
        run.agent().send(run.agent().finished(run.jobId(), 1, 1, 1));
        driver.awaitBuild(run.buildId(), "FAILED");

        List<Call> statuses = awaitStatuses(run.commit(), 2);
        assertEquals(List.of("pending", "failure"), states(statuses));
        assertTrue(statuses.getLast().json().path("description").asText().startsWith("Build failed"), statuses.getLast().body());
        assertEquals(List.of(), github.problems());
        assertEquals(0, cloud.approximateMessages(io.hybridci.topology.Topology.BUS_TARGETS_DLQ), "no event dead-lettered");
        run.agent().close();
    }

    @Test
    void shouldPostEachJobsOwnStatuses_whenPerJobStatusesAreOn() {
        String commit = CloudDriver.newCommit();
        assertEquals(202, pushTo("main", commit).statusCode());
        JsonNode build = driver.awaitBuildWithJob(commit, "QUEUED");
        String jobId = build.path("jobs").path(0).path("id").asText();
        // One status at a time: github-status reports the stored state, so waiting makes the sequence exact.
        awaitStatuses(commit, "hybridci/bootstrap", 1);
        ScriptedAgent agent = ScriptedAgent.register(cloud.baseUrl(), cloud.credentials().registrationToken(),
                "per-job-agent", Clock.systemUTC());
        agent.receiveDispatch(jobId, CloudDriver.DEADLINE);
        assertEquals(200, agent.accept(jobId).statusCode());
        agent.send(agent.started(jobId, 1, 0));
        awaitStatuses(commit, "hybridci/bootstrap", 2);
        agent.send(agent.finished(jobId, 1, 1, 0));
        driver.awaitBuild(build.path("id").asText(), "PASSED");

        List<Call> jobStatuses = awaitStatuses(commit, "hybridci/bootstrap", 3);
        assertEquals(List.of("pending Waiting for an agent", "pending Running", "success Passed in Ns"),
                described(jobStatuses));
        assertEquals(List.of("pending", "success"), states(awaitStatuses(commit, 2)), "the build's own context goes on");
        assertEquals(cloud.baseUrl() + "/#/builds/" + build.path("id").asText(),
                jobStatuses.getFirst().json().path("target_url").asText());
        assertEquals(List.of(), github.problems());
        agent.close();
    }

    @Test
    void shouldShowPendingWaitingForApproval_whenAForkPullRequestWaitsForAMaintainer() throws Exception {
        String commit = CloudDriver.newCommit();
        String body;
        try (var in = GithubFeedbackIT.class.getResourceAsStream("/events/github/pull_request-synchronize-fork.json")) {
            body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("9f2c1e0b7d4a5c3e8f1b2a6d0c9e7f4a3b5d1c2e", commit);
        }
        HttpResponse<String> delivered = driver.deliver("pull_request", CloudDriver.newDeliveryId(), body,
                "sha256=" + ScriptedAgent.hmacHexBytes(cloud.credentials().webhookSecret(), body));
        assertEquals(202, delivered.statusCode(), delivered.body());
        JsonNode build = driver.awaitBuildWithJob(commit, "BLOCKED");
        driver.awaitBuild(build.path("id").asText(), "BLOCKED");

        List<Call> buildStatuses = awaitStatuses(commit, 1);
        assertEquals(List.of("pending Build waiting for approval"), described(buildStatuses));
        assertEquals("/api/v3/repos/acme/widgets/statuses/" + commit, buildStatuses.getFirst().path());
        assertEquals(List.of("pending Waiting for approval"), described(awaitStatuses(commit, "hybridci/fork-approval", 1)));
        assertEquals(List.of(), statusesOn(commit, "hybridci/bootstrap"), "the gated bootstrap job waits, unreported");
        assertEquals(List.of(), github.problems());
    }

    @Test
    void shouldRunOrSkipAChangedStep_accordingToThePathsThePushChanged() {
        String codeOnly = CloudDriver.newCommit();
        String withDocs = CloudDriver.newCommit();
        Map<String, String> states = new java.util.HashMap<>();
        for (String commit : List.of(codeOnly, withDocs)) {
            String body = CloudDriver.pushBody(commit);
            if (commit.equals(withDocs)) {
                body = body.replace("\"src/widget.c\"", "\"docs/guide.md\"").replace("\"src/widget_legacy.c\"", "\"docs/old.md\"");
            }
            assertEquals(202, driver.deliver(CloudDriver.newDeliveryId(), body,
                    "sha256=" + ScriptedAgent.hmacHexBytes(cloud.credentials().webhookSecret(), body)).statusCode());
            JsonNode build = driver.awaitBuildWithJob(commit, "QUEUED");
            String jobId = build.path("jobs").path(0).path("id").asText();
            ScriptedAgent agent = ScriptedAgent.register(cloud.baseUrl(), cloud.credentials().registrationToken(),
                    "changed-agent", Clock.systemUTC());
            agent.receiveDispatch(jobId, CloudDriver.DEADLINE);
            assertEquals(200, agent.accept(jobId).statusCode());
            HttpResponse<String> uploaded = agent.uploadPipeline(jobId, """
                    steps:
                      - key: docs
                        command: make docs
                        if: changed("docs/**")
                      - key: code
                        command: make
                        if: changed("src/**", "Makefile")
                    """);
            assertEquals(200, uploaded.statusCode(), uploaded.body());
            JsonNode planned = CloudDriver.await("the steps of " + commit, () -> Optional.of(driver.admin("/api/v1/builds/"
                    + build.path("id").asText())), b -> b.path("jobs").size() == 3);
            for (JsonNode job : planned.path("jobs")) {
                states.put(commit + ":" + job.path("key").asText(), job.path("state").asText()
                        + (job.path("reason").isTextual() ? " " + job.path("reason").asText() : ""));
            }
            agent.close();
        }

        assertEquals("SKIPPED condition_false", states.get(codeOnly + ":docs"));
        assertEquals("QUEUED", states.get(codeOnly + ":code"));
        assertEquals("QUEUED", states.get(withDocs + ":docs"));
        assertEquals("SKIPPED condition_false", states.get(withDocs + ":code"));
    }

    /** The push fixture moved to {@code branch}, signed. */
    private static HttpResponse<String> pushTo(String branch, String commit) {
        String body = CloudDriver.pushBody(commit).replace("\"ref\":\"refs/heads/main\"", "\"ref\":\"refs/heads/" + branch + "\"");
        return driver.deliver(CloudDriver.newDeliveryId(), body,
                "sha256=" + ScriptedAgent.hmacHexBytes(cloud.credentials().webhookSecret(), body));
    }

    @Test
    void shouldCancelTheOlderBuildAndReportItAsError_whenANewerPushToAnOptedInBranchArrives() {
        String branch = "feature/superseded-" + CloudDriver.newCommit().substring(0, 8);
        Running older = acceptBootstrapJob("superseded-agent", branch);
        older.agent().send(older.agent().started(older.jobId(), 1, 0));
        driver.awaitJob(older.jobId(), j -> j.path("state").asText().equals("RUNNING"), "RUNNING");
        awaitStatuses(older.commit(), 1);

        String newerCommit = CloudDriver.newCommit();
        assertEquals(202, pushTo(branch, newerCommit).statusCode());

        JsonNode canceling = driver.awaitJob(older.jobId(), j -> j.path("state").asText().equals("CANCELING"), "CANCELING");
        assertEquals("build_canceled", canceling.path("reason").asText());
        // The agent learns of the cancel at its next ping and reports the end of its process.
        older.agent().send(older.agent().finished(older.jobId(), 1, 1, 130));
        driver.awaitBuild(older.buildId(), "CANCELED");
        driver.awaitBuildWithJob(newerCommit, "QUEUED");
        List<Call> statuses = awaitStatuses(older.commit(), 2);
        assertEquals(List.of("pending", "error"), states(statuses));
        assertEquals(List.of(), github.problems());
        older.agent().close();
    }

    @Test
    void shouldCreateNoBuildAndPostNoStatus_whenTheHeadCommitSaysSkipCi() {
        String skipped = CloudDriver.newCommit();
        String body = CloudDriver.pushBody(skipped).replace("The clock was not frozen.", "The clock was not frozen. [skip ci]");
        long plannedBefore = cloud.stats().of(Topology.BUILD_PLANNER).invocations();
        HttpResponse<String> delivered = driver.deliver(CloudDriver.newDeliveryId(), body,
                "sha256=" + ScriptedAgent.hmacHexBytes(cloud.credentials().webhookSecret(), body));
        assertEquals(202, delivered.statusCode(), delivered.body());

        // The planner has seen the push once its invocation count moves; only then is "no build" an answer.
        CloudDriver.await("the planner to handle the [skip ci] push",
                () -> Optional.of(cloud.stats().of(Topology.BUILD_PLANNER)),
                stats -> stats.invocations() > plannedBefore);
        assertEquals(List.of(), driver.buildsOf(skipped));
        assertEquals(List.of(), github.calls().stream().filter(call -> call.path().contains(skipped)).toList());
    }
}
