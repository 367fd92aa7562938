package io.hybridci.core.agent;

import io.hybridci.core.agent.AgentEvent.AssignJob;
import io.hybridci.core.agent.AgentEvent.Disconnect;
import io.hybridci.core.agent.AgentEvent.Drain;
import io.hybridci.core.agent.AgentEvent.MarkLost;
import io.hybridci.core.agent.AgentEvent.Pause;
import io.hybridci.core.agent.AgentEvent.Ping;
import io.hybridci.core.agent.AgentEvent.Reconnect;
import io.hybridci.core.agent.AgentEvent.ReleaseJob;
import io.hybridci.core.agent.AgentEvent.Resume;
import io.hybridci.core.statemachine.RejectionReason;
import io.hybridci.core.statemachine.Transition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.hybridci.core.agent.AgentState.CONNECTED;
import static io.hybridci.core.agent.AgentState.DISCONNECTED;
import static io.hybridci.core.agent.AgentState.DRAINING;
import static io.hybridci.core.agent.AgentState.LOST;
import static io.hybridci.core.agent.AgentState.PAUSED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

class AgentTransitionsTest {

    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    /** Past the heartbeat resolution, so a ping at AT is recorded. */
    private static final Instant AT = T0.plus(AgentTransitions.HEARTBEAT_RESOLUTION).plusSeconds(30);
    private static final String SELF = "agent:a1";
    private static final String REAPER = "system:reaper";

    static Agent agent(AgentState state) {
        Agent registered = Agent.registered("a1", "host-1", List.of("default"), "1.0.0", T0, T0.plusSeconds(3600), SELF);
        return new Agent(registered.id(), registered.name(), registered.queues(), state, null, registered.agentVersion(),
                T0, T0, registered.sessionExpiresAt(), 1, T0, SELF);
    }

    static Agent busy(AgentState state) {
        return AgentTransitions.apply(agent(CONNECTED), new AssignJob("job-1", T0.plusSeconds(1), SELF))
                .map(busy -> new Agent(busy.id(), busy.name(), busy.queues(), state, busy.currentJobId(),
                        busy.agentVersion(), busy.lastSeenAt(), busy.connectedAt(), busy.sessionExpiresAt(),
                        busy.version(), busy.updatedAt(), busy.lastActor()))
                .orElseThrow();
    }

    static List<Arguments> edges() {
        return List.of(
                Arguments.of(agent(CONNECTED), new Ping(AT, null, SELF), CONNECTED),
                Arguments.of(agent(CONNECTED), new Pause(AT, SELF), PAUSED),
                Arguments.of(agent(CONNECTED), new Drain(AT, SELF), DRAINING),
                Arguments.of(agent(CONNECTED), new MarkLost(AT, REAPER), LOST),
                Arguments.of(agent(CONNECTED), new Disconnect(AT, SELF), DISCONNECTED),
                Arguments.of(agent(PAUSED), new Ping(AT, null, SELF), PAUSED),
                Arguments.of(agent(PAUSED), new Resume(AT, SELF), CONNECTED),
                Arguments.of(agent(PAUSED), new Drain(AT, SELF), DRAINING),
                Arguments.of(agent(PAUSED), new MarkLost(AT, REAPER), LOST),
                Arguments.of(agent(PAUSED), new Disconnect(AT, SELF), DISCONNECTED),
                Arguments.of(agent(DRAINING), new Ping(AT, null, SELF), DRAINING),
                Arguments.of(agent(DRAINING), new MarkLost(AT, REAPER), LOST),
                Arguments.of(agent(DRAINING), new Disconnect(AT, SELF), DISCONNECTED),
                Arguments.of(busy(LOST), new ReleaseJob("job-1", AT, REAPER), LOST),
                Arguments.of(agent(LOST), new Reconnect(AT, null, SELF), CONNECTED),
                Arguments.of(agent(LOST), new Disconnect(AT, SELF), DISCONNECTED));
    }

    @ParameterizedTest(name = "{0} --{1}--> {2}")
    @MethodSource("edges")
    void shouldMoveAlongTheEdge_whenEventIsInTheTable(Agent before, AgentEvent event, AgentState to) {
        Agent after = AgentTransitions.apply(before, event).orElseThrow();

        assertEquals(to, after.state());
        assertEquals(before.version() + 1, after.version());
        assertEquals(event.actor(), after.lastActor());
        assertEquals(AT, after.updatedAt());
    }

    @Test
    void shouldListExactlyTheTestedEdges_whenAllowedTableIsExposedAsData() {
        Map<AgentState, Set<AgentState>> tested = new EnumMap<>(AgentState.class);
        for (AgentState state : AgentState.values()) {
            tested.put(state, EnumSet.noneOf(AgentState.class));
        }
        edges().forEach(arguments ->
                tested.get(((Agent) arguments.get()[0]).state()).add((AgentState) arguments.get()[2]));

        assertEquals(tested, AgentTransitions.allowed());
    }

    @Test
    void shouldRecordLastSeen_whenPinged_andTreatAnOlderPingAsDuplicate() {
        Agent pinged = AgentTransitions.apply(agent(CONNECTED), new Ping(AT, T0.plusSeconds(7200), SELF)).orElseThrow();

        assertEquals(AT, pinged.lastSeenAt());
        assertEquals(T0.plusSeconds(7200), pinged.sessionExpiresAt());
        assertRejected(RejectionReason.ALREADY_APPLIED, AgentTransitions.apply(pinged, new Ping(AT, null, SELF)));
        assertRejected(RejectionReason.ALREADY_APPLIED, AgentTransitions.apply(pinged, new Ping(T0, null, SELF)));
    }

    @Test
    void shouldRecordAPingOnlyOncePerHeartbeatResolution_unlessItRenewsTheSession() {
        Agent connected = agent(CONNECTED);
        Instant soon = T0.plus(AgentTransitions.HEARTBEAT_RESOLUTION).minusSeconds(1);

        assertRejected(RejectionReason.ALREADY_APPLIED, AgentTransitions.apply(connected, new Ping(soon, null, SELF)));
        Agent renewed = AgentTransitions.apply(connected, new Ping(soon, T0.plusSeconds(7200), SELF)).orElseThrow();
        assertEquals(soon, renewed.lastSeenAt(), "a renewal is always recorded, with the heartbeat");
        Agent due = AgentTransitions.apply(connected, new Ping(T0.plus(AgentTransitions.HEARTBEAT_RESOLUTION), null, SELF))
                .orElseThrow();
        assertEquals(T0.plus(AgentTransitions.HEARTBEAT_RESOLUTION), due.lastSeenAt());
    }

    @Test
    void shouldHoldTheJob_whenAssigned_andRejectASecondJob() {
        Agent holding = busy(CONNECTED);

        assertEquals("job-1", holding.currentJobId());
        assertRejected(RejectionReason.ALREADY_APPLIED, AgentTransitions.apply(holding, new AssignJob("job-1", AT, SELF)));
        assertRejected(RejectionReason.AGENT_BUSY, AgentTransitions.apply(holding, new AssignJob("job-2", AT, SELF)));
    }

    @Test
    void shouldTakeNoNewWork_whenPausedDrainingOrLost() {
        for (AgentState state : List.of(PAUSED, DRAINING, LOST)) {
            assertRejected(RejectionReason.ILLEGAL_TRANSITION,
                    AgentTransitions.apply(agent(state), new AssignJob("job-1", AT, SELF)));
        }
    }

    @Test
    void shouldReleaseOnlyItsOwnJob_whenAJobEnds() {
        Agent holding = busy(DRAINING);

        assertRejected(RejectionReason.WRONG_JOB, AgentTransitions.apply(holding, new ReleaseJob("job-9", AT, SELF)));
        Agent idle = AgentTransitions.apply(holding, new ReleaseJob("job-1", AT, SELF)).orElseThrow();
        assertNull(idle.currentJobId());
        assertEquals(DRAINING, idle.state());
        assertRejected(RejectionReason.ALREADY_APPLIED, AgentTransitions.apply(idle, new ReleaseJob("job-1", AT, SELF)));
    }

    @Test
    void shouldRejectAPing_whenLost_soThatComingBackIsAnExplicitReconnect() {
        assertRejected(RejectionReason.ILLEGAL_TRANSITION, AgentTransitions.apply(agent(LOST), new Ping(AT, null, SELF)));

        Agent back = AgentTransitions.apply(busy(LOST), new Reconnect(AT, null, SELF)).orElseThrow();
        assertEquals(CONNECTED, back.state());
        assertNull(back.currentJobId());
        assertEquals(AT, back.connectedAt());
    }

    @Test
    void shouldRejectEverything_whenDisconnected() {
        Agent gone = agent(DISCONNECTED);
        List<AgentEvent> events = List.of(new Ping(AT, null, SELF), new Pause(AT, SELF), new Resume(AT, SELF),
                new Drain(AT, SELF), new MarkLost(AT, REAPER), new AssignJob("j", AT, SELF), new Reconnect(AT, null, SELF));

        for (AgentEvent event : events) {
            assertRejected(RejectionReason.TERMINAL, AgentTransitions.apply(gone, event));
        }
        assertRejected(RejectionReason.ALREADY_APPLIED, AgentTransitions.apply(gone, new Disconnect(AT, SELF)));
    }

    @Test
    void shouldRejectIllegalMoves_whenOffTheTable() {
        assertRejected(RejectionReason.ILLEGAL_TRANSITION, AgentTransitions.apply(agent(DRAINING), new Pause(AT, SELF)));
        assertRejected(RejectionReason.ILLEGAL_TRANSITION, AgentTransitions.apply(agent(DRAINING), new Resume(AT, SELF)));
        assertRejected(RejectionReason.ILLEGAL_TRANSITION, AgentTransitions.apply(agent(PAUSED), new Reconnect(AT, null, SELF)));
        assertRejected(RejectionReason.ILLEGAL_TRANSITION, AgentTransitions.apply(agent(LOST), new Resume(AT, SELF)));
    }

    static void assertRejected(RejectionReason expected, Transition<?> result) {
        Transition.Rejected<?> rejected = assertInstanceOf(Transition.Rejected.class, result);
        assertEquals(expected, rejected.reason(), rejected.message());
    }
}
