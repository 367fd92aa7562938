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
                .withFunctionEnvironment(Topology.BUILD_PLANNER, EnvironmentNames.CANCEL_SUPERSEDED_BRANCHES, "feature/**"));
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

    /** The accepted statuses on {@code commit}, in the order GitHub took them. */
    private static List<Call> statusesOn(String commit) {
        return github.acceptedStatuses().stream().filter(call -> call.path().endsWith("/statuses/" + commit)).toList();
    }

    private static List<Call> awaitStatuses(String commit, int count) {
        return CloudDriver.await(count + " statuses on " + commit, () -> Optional.of(statusesOn(commit)),
                calls -> calls.size() >= count);
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
        assertTrue(cloud.eventDeadLetters().isEmpty(), cloud.eventDeadLetters().toString());
        run.agent().close();
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
