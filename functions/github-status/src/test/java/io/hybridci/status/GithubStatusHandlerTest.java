package io.hybridci.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.aws.github.GithubAuthorization;
import io.hybridci.aws.github.GithubCommitStatusReporter;
import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildSource;
import io.hybridci.core.build.BuildState;
import io.hybridci.core.port.inmemory.InMemoryBuildRepository;
import io.hybridci.core.status.BuildStatusReporting;
import io.hybridci.core.status.BuildStatusReporting.StatusSettings;
import io.hybridci.core.status.RecordingGithubServer;
import io.hybridci.core.status.RecordingGithubServer.Reply;
import io.hybridci.core.status.StatusReportException;
import io.hybridci.schema.InvalidPayloadException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GithubStatusHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUILD_ID = "b-01JNQ8Z3K4W2";
    private static final String SHA = "9f2c1e0b7d4a5c3e8f1b2a6d0c9e7f4a3b5d1c2e";
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    private final RecordingGithubServer github = RecordingGithubServer.start();
    private final InMemoryBuildRepository builds = new InMemoryBuildRepository();
    private final GithubStatusHandler handler = new GithubStatusHandler(new BuildStatusReporting(builds,
            new GithubCommitStatusReporter(GithubCommitStatusReporter.httpClient(), github.baseUrl(),
                    GithubAuthorization.token("github_pat_test"), Clock.systemUTC(), duration -> { }, Duration.ofSeconds(20),
                    Duration.ofMillis(1)),
            new StatusSettings(Optional.of(URI.create("https://ci.example.com")), "hybridci")));
    private Build build;

    @AfterEach
    void stop() {
        github.close();
    }

    @Test
    void shouldSetPendingPendingSuccess_whenBuildPasses() throws IOException {
        drive(BuildState.RUNNING, BuildState.PASSED);

        assertEquals(List.of(), github.problems());
        assertEquals(List.of("pending", "pending", "success"), github.acceptedStates());
        assertEquals(List.of("Build queued", "Build running", "Build passed in 3m 10s"), descriptions());
        github.acceptedStatuses().forEach(call -> {
            assertEquals("/api/v3/repos/acme/widgets/statuses/" + SHA, call.path());
            assertEquals("https://ci.example.com/#/builds/" + BUILD_ID, call.json().get("target_url").asText());
            assertEquals("hybridci", call.json().get("context").asText());
            assertEquals("Bearer github_pat_test", call.headers().get("authorization"));
        });
    }

    @Test
    void shouldSetPendingPendingFailure_whenBuildFails() throws IOException {
        drive(BuildState.RUNNING, BuildState.FAILED);

        assertEquals(List.of(), github.problems());
        assertEquals(List.of("pending", "pending", "failure"), github.acceptedStates());
    }

    @Test
    void shouldSetPendingThenErrorAfterBlocked_whenBuildIsCanceledWhileWaitingForApproval() throws IOException {
        drive(BuildState.RUNNING, BuildState.BLOCKED, BuildState.CANCELED);

        assertEquals(List.of("pending", "pending", "pending", "error"), github.acceptedStates());
    }

    @Test
    void shouldThrowSoEventBridgeRetries_whenGithubKeepsFailing() throws IOException {
        stored();
        Reply down = new Reply(502, Map.of(), "{}");
        github.thenReply(down, down, down, down);

        assertThrows(StatusReportException.class, () -> invoke(event(null, BuildState.CREATED)));
        invoke(event(null, BuildState.CREATED));

        assertEquals(List.of("pending"), github.acceptedStates());
    }

    @Test
    void shouldRefuseTheEvent_whenDetailBreaksTheSchema() throws IOException {
        ObjectNode event = event(null, BuildState.CREATED);
        ((ObjectNode) event.get("detail")).put("commit", "not-a-sha");

        assertThrows(InvalidPayloadException.class, () -> invoke(event));
        assertTrue(github.calls().isEmpty());
    }

    @Test
    void shouldRefuseTheEvent_whenRuleRoutedAnotherDetailType() throws IOException {
        ObjectNode event = event(null, BuildState.CREATED);
        event.put("detail-type", "Job State Changed");

        assertThrows(IllegalArgumentException.class, () -> invoke(event));
    }

    @Test
    void shouldTakeAJobStateChangedEventAndPostNothing_whenPerJobStatusesAreOff() throws IOException {
        stored();
        ObjectNode event = JSON.createObjectNode().put("version", "0").put("id", "5e0c2a3b-1f4d-4c8e-9a7b-2d6f8e1c0b9a")
                .put("detail-type", "Job State Changed").put("source", "hybridci.jobs").put("account", "123456789012")
                .put("time", "2025-03-01T12:00:07Z").put("region", "eu-west-1");
        event.putArray("resources");
        try (InputStream in = getClass().getResourceAsStream("/schemas/job-state-changed/v2.example.json")) {
            ObjectNode detail = (ObjectNode) JSON.readTree(in);
            detail.put("buildId", BUILD_ID);
            event.set("detail", detail);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out, null);

        assertEquals("per-job statuses are off", JSON.readTree(out.toByteArray()).path("notReported").asText());
        assertTrue(github.calls().isEmpty());
    }

    /** Stores the build CREATED and reports it, then moves it through {@code states}, one event each. */
    private void drive(BuildState... states) throws IOException {
        stored();
        invoke(event(null, BuildState.CREATED));
        BuildState from = BuildState.CREATED;
        Instant at = T0;
        for (BuildState state : states) {
            at = at.plusSeconds(state.isFinished() ? 190 : 0);
            Build next = build.withState(state, at, "system:state-reactor");
            assertTrue(builds.update(next, build.version()).written());
            build = next;
            invoke(event(from, state));
            from = state;
        }
    }

    private void stored() {
        build = Build.created(BUILD_ID, "acme/widgets", "https://github.com/acme/widgets.git", "main", null, SHA,
                "Fix", "octo", "octo", BuildSource.PUSH, null, T0, "github:octo");
        builds.create(build);
    }

    private List<String> descriptions() {
        return github.acceptedStatuses().stream().map(call -> call.json().get("description").asText()).toList();
    }

    private ObjectNode event(BuildState from, BuildState to) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/events/eventbridge/build-state-changed.json")) {
            ObjectNode event = (ObjectNode) JSON.readTree(in);
            ObjectNode detail = (ObjectNode) event.get("detail");
            detail.put("from", from == null ? null : from.name());
            detail.put("to", to.name());
            return event;
        }
    }

    private void invoke(ObjectNode event) throws IOException {
        handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), new ByteArrayOutputStream(), null);
    }
}
