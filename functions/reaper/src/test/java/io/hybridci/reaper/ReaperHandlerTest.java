package io.hybridci.reaper;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.hybridci.core.agent.Agent;
import io.hybridci.core.agent.AgentState;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobFixtures;
import io.hybridci.core.job.JobReason;
import io.hybridci.core.job.JobState;
import io.hybridci.core.port.inmemory.InMemoryAgentRepository;
import io.hybridci.core.port.inmemory.InMemoryJobRepository;
import io.hybridci.core.port.inmemory.RecordingJobDispatcher;
import io.hybridci.core.reaping.ReapReport;
import io.hybridci.core.reaping.Reaper;
import io.hybridci.core.reaping.ReaperSettings;
import io.hybridci.core.statemachine.Actors;
import io.hybridci.schema.SchemaNames;
import io.hybridci.schema.SchemaValidator;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reaper against the in-memory adapters, with a clock the tests move instead of waiting. */
class ReaperHandlerTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final String AGENT = "a-7f3c9d";

    private final MovableClock clock = new MovableClock(NOW);
    private final InMemoryJobRepository jobs = new InMemoryJobRepository();
    private final InMemoryAgentRepository agents = new InMemoryAgentRepository();
    private final RecordingJobDispatcher dispatcher = new RecordingJobDispatcher();
    private final ReaperHandler handler = new ReaperHandler(jobs, agents, dispatcher, ReaperSettings.DEFAULTS, clock);

    @Test
    void shouldMarkTheAgentLostAndFailItsJob_whenSilentForMoreThanThreeMinutes() {
        agents.create(agentLastSeen(NOW.minus(Duration.ofMinutes(3)).minusSeconds(1)));
        jobs.create(running("j-1", NOW.minus(Duration.ofMinutes(5))));

        ReapReport report = reap();

        assertEquals(AgentState.LOST, agents.find(AGENT).orElseThrow().state());
        Job job = jobs.find("j-1").orElseThrow();
        assertEquals(JobState.FAILED, job.state());
        assertEquals(-1, job.exitStatus());
        assertEquals(JobReason.AGENT_LOST, job.reason());
        assertEquals(Reaper.ACTOR, job.lastActor());
        assertEquals(1, report.agentsLost());
        assertEquals(1, report.jobsOfLostAgents());
        assertEquals(1, jobs.jobsOfBuild(job.buildId()).size(), "retrying is the state-reactor's job, not the reaper's");
    }

    @Test
    void shouldLeaveAgentAndJobAlone_whenTheAgentWasSilentForTwoMinutes() {
        agents.create(agentLastSeen(NOW.minus(Duration.ofMinutes(2))));
        Job running = running("j-1", NOW.minus(Duration.ofMinutes(5)));
        jobs.create(running);

        ReapReport report = reap();

        assertEquals(AgentState.CONNECTED, agents.find(AGENT).orElseThrow().state());
        assertEquals(running, jobs.find("j-1").orElseThrow());
        assertFalse(report.changedAnything());
    }

    @Test
    void shouldEndACancelingJobCanceled_whenItsAgentIsLost() {
        agents.create(agentLastSeen(NOW.minus(Duration.ofMinutes(10))));
        jobs.create(held("j-1", JobState.CANCELING).toBuilder().reason(JobReason.CANCELED_BY_USER).build());

        reap();

        Job job = jobs.find("j-1").orElseThrow();
        assertEquals(JobState.CANCELED, job.state());
        assertEquals(JobReason.CANCELED_BY_USER, job.reason());
    }

    @Test
    void shouldFailTheJobOfAnAgentLostEarlier_whenThatRunDidNotGetToItsJobs() {
        agents.create(inState(agentLastSeen(NOW.minus(Duration.ofMinutes(10))), AgentState.LOST));
        jobs.create(running("j-1", NOW.minus(Duration.ofMinutes(12))));

        ReapReport report = reap();

        assertEquals(JobState.FAILED, jobs.find("j-1").orElseThrow().state());
        assertEquals(0, report.agentsLost());
        assertEquals(1, report.jobsOfLostAgents());
    }

    @Test
    void shouldTimeOutThenEndTimedOut_whenARunningJobOutlivesItsTimeoutAndTheAgentNeverConfirms() {
        agents.create(agentLastSeen(NOW));
        jobs.create(running("j-1", NOW.minus(Duration.ofMinutes(10)).minusSeconds(1)));  // timeout_in_minutes: 10
        jobs.create(running("j-2", NOW.minus(Duration.ofMinutes(9))));

        ReapReport first = reap();

        assertEquals(1, first.jobsTimingOut());
        assertEquals(JobState.TIMING_OUT, jobs.find("j-1").orElseThrow().state());
        assertEquals(JobReason.TIMEOUT, jobs.find("j-1").orElseThrow().reason());
        assertEquals(JobState.RUNNING, jobs.find("j-2").orElseThrow().state());

        clock.set(NOW.plus(Duration.ofMinutes(2)));
        reap();
        assertEquals(JobState.TIMING_OUT, jobs.find("j-1").orElseThrow().state(), "two minutes of grace, not less");

        clock.set(NOW.plus(Duration.ofMinutes(2)).plusSeconds(1));
        ReapReport last = reap();
        assertEquals(1, last.jobsTimedOut());
        assertEquals(JobState.TIMED_OUT, jobs.find("j-1").orElseThrow().state());
    }

    @Test
    void shouldSendAStuckJobOnce_whenQueuedWithoutDispatchForMoreThanAMinute() {
        jobs.create(queued("j-stuck", NOW.minusSeconds(61), null));
        jobs.create(queued("j-fresh", NOW.minusSeconds(30), null));

        ReapReport report = reap();
        reap();

        assertEquals(1, report.jobsRedispatched());
        assertEquals(1, dispatcher.sent().size(), "sent once, not once per run");
        RecordingJobDispatcher.Sent sent = dispatcher.sent().getFirst();
        assertEquals("default", sent.queue());
        assertTrue(sent.messageJson().contains("\"jobId\":\"j-stuck\""));
        assertTrue(SchemaValidator.shared().validate(SchemaNames.JOB_DISPATCH, sent.messageJson()).valid(),
                () -> SchemaValidator.shared().validate(SchemaNames.JOB_DISPATCH, sent.messageJson()).errors().toString());
        assertEquals(NOW, jobs.find("j-stuck").orElseThrow().dispatchedAt());
        assertNull(jobs.find("j-fresh").orElseThrow().dispatchedAt());
    }

    @Test
    void shouldSendADispatchAgain_whenTheJobIsStillQueuedTenMinutesAfterIt() {
        jobs.create(queued("j-dead-lettered", NOW.minus(Duration.ofMinutes(30)), NOW.minus(Duration.ofMinutes(10)).minusSeconds(1)));
        jobs.create(queued("j-waiting", NOW.minus(Duration.ofMinutes(30)), NOW.minus(Duration.ofMinutes(9))));

        ReapReport report = reap();
        reap();

        assertEquals(1, report.jobsRedispatched());
        assertEquals(1, dispatcher.sent().size(), "sent once, not once per run: the new dispatchedAt is now");
        assertTrue(dispatcher.sent().getFirst().messageJson().contains("\"jobId\":\"j-dead-lettered\""));
        assertEquals(NOW, jobs.find("j-dead-lettered").orElseThrow().dispatchedAt());
        assertEquals(NOW.minus(Duration.ofMinutes(9)), jobs.find("j-waiting").orElseThrow().dispatchedAt());
    }

    @Test
    void shouldExpireAQueuedJob_whenQueuedLongerThanTheLimit() {
        jobs.create(queued("j-old", NOW.minus(Duration.ofHours(24)).minusSeconds(1), NOW.minus(Duration.ofHours(24))));
        jobs.create(queued("j-young", NOW.minus(Duration.ofHours(23)), NOW.minus(Duration.ofHours(23))));

        ReapReport report = reap();

        assertEquals(1, report.jobsExpired());
        Job expired = jobs.find("j-old").orElseThrow();
        assertEquals(JobState.EXPIRED, expired.state());
        assertEquals(JobReason.EXPIRED, expired.reason());
        assertEquals(JobState.QUEUED, jobs.find("j-young").orElseThrow().state());
        assertTrue(dispatcher.sent().stream().noneMatch(sent -> sent.messageJson().contains("\"jobId\":\"j-old\"")),
                "an expired job is not sent again");
    }

    @Test
    void shouldExpireByTheConfiguredLimit_whenTheEnvironmentSetsOne() {
        ReaperSettings settings = ReaperSettings.fromEnv(Map.of(ReaperSettings.QUEUE_LIMIT_ENV, "PT1H"));
        ReaperHandler shortLimit = new ReaperHandler(jobs, agents, dispatcher, settings, clock);
        jobs.create(queued("j-1", NOW.minus(Duration.ofMinutes(61)), NOW.minus(Duration.ofMinutes(61))));

        shortLimit.handleRequest(scheduledEvent(), null);

        assertEquals(Duration.ofHours(1), settings.queueLimit());
        assertEquals(JobState.EXPIRED, jobs.find("j-1").orElseThrow().state());
    }

    @Test
    void shouldFailFastNamingTheVariable_whenTheQueueLimitIsUnreadable() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ReaperSettings.fromEnv(Map.of(ReaperSettings.QUEUE_LIMIT_ENV, "24 hours")));

        assertTrue(error.getMessage().contains(ReaperSettings.QUEUE_LIMIT_ENV));
    }

    @Test
    void shouldChangeNothing_whenRunASecondTime() {
        agents.create(agentLastSeen(NOW.minus(Duration.ofMinutes(4))));
        jobs.create(running("j-lost", NOW.minus(Duration.ofMinutes(5))));
        Agent healthy = withId(agentLastSeen(NOW), "a-healthy");
        agents.create(healthy);
        jobs.create(running("j-late", NOW.minus(Duration.ofMinutes(11))).toBuilder().agentId("a-healthy").build());
        jobs.create(queued("j-stuck", NOW.minusSeconds(90), null));
        jobs.create(queued("j-old", NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(2))));

        ReapReport first = reap();
        List<Job> jobsAfterFirst = List.of("j-lost", "j-late", "j-stuck", "j-old").stream()
                .map(id -> jobs.find(id).orElseThrow()).toList();
        List<Agent> agentsAfterFirst = List.of(agents.find(AGENT).orElseThrow(), agents.find("a-healthy").orElseThrow());

        ReapReport second = reap();

        assertEquals(new ReapReport(1, 1, 1, 0, 1, 1, List.of()), first);
        assertEquals(new ReapReport(0, 0, 0, 0, 0, 0, List.of()), second);
        assertEquals(jobsAfterFirst, List.of("j-lost", "j-late", "j-stuck", "j-old").stream()
                .map(id -> jobs.find(id).orElseThrow()).toList());
        assertEquals(agentsAfterFirst, List.of(agents.find(AGENT).orElseThrow(), agents.find("a-healthy").orElseThrow()));
        assertEquals(1, dispatcher.sent().size());
    }

    private ReapReport reap() {
        return handler.handleRequest(scheduledEvent(), null);
    }

    private static ScheduledEvent scheduledEvent() {
        return EventLoader.loadScheduledEvent("events/scheduled/every-minute.json");
    }

    private static Agent agentLastSeen(Instant lastSeenAt) {
        return new Agent(AGENT, "build-box-1", List.of("default"), AgentState.CONNECTED, null, "0.1.0",
                lastSeenAt, NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(1)), 3, lastSeenAt, Actors.agent(AGENT));
    }

    private static Job held(String id, JobState state) {
        return JobFixtures.inState(state).toBuilder().id(id).agentId(AGENT).assignedAt(NOW.minus(Duration.ofHours(1)))
                .build();
    }

    private static Job running(String id, Instant startedAt) {
        return held(id, JobState.RUNNING).toBuilder().startedAt(startedAt).updatedAt(startedAt).build();
    }

    private static Job queued(String id, Instant queuedAt, Instant dispatchedAt) {
        return JobFixtures.inState(JobState.QUEUED).toBuilder().id(id).queuedAt(queuedAt).dispatchedAt(dispatchedAt)
                .updatedAt(queuedAt).build();
    }

    /** {@code agent} in another state (Agent has no builder; tests need a stored LOST agent). */
    private static Agent inState(Agent agent, AgentState state) {
        return new Agent(agent.id(), agent.name(), agent.queues(), state, agent.currentJobId(), agent.agentVersion(),
                agent.lastSeenAt(), agent.connectedAt(), agent.sessionExpiresAt(), agent.version(), agent.updatedAt(),
                agent.lastActor());
    }

    private static Agent withId(Agent agent, String id) {
        return new Agent(id, agent.name(), agent.queues(), agent.state(), agent.currentJobId(), agent.agentVersion(),
                agent.lastSeenAt(), agent.connectedAt(), agent.sessionExpiresAt(), agent.version(), agent.updatedAt(),
                Actors.agent(id));
    }

    /** A clock the test sets; the reaper reads it once per run. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }
}
