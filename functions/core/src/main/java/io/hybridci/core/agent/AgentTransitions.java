package io.hybridci.core.agent;

import io.hybridci.core.agent.AgentEvent.AssignJob;
import io.hybridci.core.agent.AgentEvent.Disconnect;
import io.hybridci.core.agent.AgentEvent.Drain;
import io.hybridci.core.agent.AgentEvent.MarkLost;
import io.hybridci.core.agent.AgentEvent.Pause;
import io.hybridci.core.agent.AgentEvent.Ping;
import io.hybridci.core.agent.AgentEvent.ReleaseJob;
import io.hybridci.core.agent.AgentEvent.Reconnect;
import io.hybridci.core.agent.AgentEvent.Resume;
import io.hybridci.core.statemachine.RejectionReason;
import io.hybridci.core.statemachine.Transition;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static io.hybridci.core.agent.AgentState.CONNECTED;
import static io.hybridci.core.agent.AgentState.DISCONNECTED;
import static io.hybridci.core.agent.AgentState.DRAINING;
import static io.hybridci.core.agent.AgentState.LOST;
import static io.hybridci.core.agent.AgentState.PAUSED;

/**
 * The agent state machine.
 *
 * <pre>
 * from                       event                  to
 * CONNECTED|PAUSED|DRAINING  Ping                   same (records lastSeenAt)
 * CONNECTED                  Pause                  PAUSED
 * PAUSED                     Resume                 CONNECTED
 * CONNECTED|PAUSED           Drain                  DRAINING
 * CONNECTED|PAUSED|DRAINING  MarkLost               LOST
 * any but DISCONNECTED       Disconnect             DISCONNECTED
 * CONNECTED (idle)           AssignJob              CONNECTED (busy)
 * any but DISCONNECTED       ReleaseJob             same (idle)
 * LOST                       Reconnect              CONNECTED (idle)
 * </pre>
 *
 * A LOST agent's ping is rejected: the api applies {@code Reconnect} instead, so coming back is
 * an explicit, audited step. A ping not later than the last one is {@code ALREADY_APPLIED}
 * (a retried HTTP call or a reordered one: nothing new to record), and so is a ping less than
 * {@link #HEARTBEAT_RESOLUTION} after the recorded one that renews nothing.
 */
public final class AgentTransitions {

    /**
     * How fresh {@code lastSeenAt} is kept. Every recorded ping is a write, a stream record, a state-reactor
     * and an audit-writer invocation and an audit record: at one ping every 10 s that is most of what an idle
     * agent costs. An agent is LOST after {@link AgentLiveness#DEFAULT_THRESHOLD} (3 minutes) of silence, so a
     * {@code lastSeenAt} at most a minute (plus one ping interval) old loses nothing: five pings in six are
     * answered from a read alone.
     */
    public static final Duration HEARTBEAT_RESOLUTION = Duration.ofSeconds(60);

    private static final Map<AgentState, Set<AgentState>> ALLOWED = buildAllowed();

    private AgentTransitions() {
    }

    /** The edges of the table above as data. */
    public static Map<AgentState, Set<AgentState>> allowed() {
        return ALLOWED;
    }

    public static Transition<Agent> apply(Agent agent, AgentEvent event) {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(event, "event");
        return switch (event) {
            case Ping ping -> ping(agent, ping);
            case Pause _ -> simple(agent, event, PAUSED, Set.of(CONNECTED));
            case Resume _ -> simple(agent, event, CONNECTED, Set.of(PAUSED));
            case Drain _ -> simple(agent, event, DRAINING, Set.of(CONNECTED, PAUSED));
            case MarkLost _ -> simple(agent, event, LOST, Set.of(CONNECTED, PAUSED, DRAINING));
            case Disconnect _ -> simple(agent, event, DISCONNECTED, Set.of(CONNECTED, PAUSED, DRAINING, LOST));
            case AssignJob assign -> assign(agent, assign);
            case ReleaseJob release -> release(agent, release);
            case Reconnect reconnect -> reconnect(agent, reconnect);
        };
    }

    private static Transition<Agent> ping(Agent agent, Ping event) {
        if (agent.state().isTerminal()) {
            return terminal(agent, event);
        }
        if (agent.state() == LOST) {
            return illegal(agent, event);
        }
        if (!event.at().isAfter(agent.lastSeenAt())) {
            return duplicate(agent, event);
        }
        if (event.sessionExpiresAt() == null && event.at().isBefore(agent.lastSeenAt().plus(HEARTBEAT_RESOLUTION))) {
            return duplicate(agent, event);
        }
        Instant sessionExpiry = event.sessionExpiresAt() != null ? event.sessionExpiresAt() : agent.sessionExpiresAt();
        return Transition.moved(agent.next(agent.state(), agent.currentJobId(), event.at(), agent.connectedAt(),
                sessionExpiry, event.at(), event.actor()));
    }

    /** Events that only change the state; {@code to} itself is the duplicate case. */
    private static Transition<Agent> simple(Agent agent, AgentEvent event, AgentState to, Set<AgentState> from) {
        if (agent.state() == to) {
            return duplicate(agent, event);
        }
        if (!from.contains(agent.state())) {
            return agent.state().isTerminal() ? terminal(agent, event) : illegal(agent, event);
        }
        return Transition.moved(agent.next(to, agent.currentJobId(), agent.lastSeenAt(), agent.connectedAt(),
                agent.sessionExpiresAt(), event.at(), event.actor()));
    }

    private static Transition<Agent> assign(Agent agent, AssignJob event) {
        if (event.jobId().equals(agent.currentJobId())) {
            return duplicate(agent, event);
        }
        if (agent.state() != CONNECTED) {
            // PAUSED and DRAINING agents take no new work; LOST ones cannot.
            return agent.state().isTerminal() ? terminal(agent, event) : illegal(agent, event);
        }
        if (agent.isBusy()) {
            return Transition.rejected(RejectionReason.AGENT_BUSY,
                    "agent " + agent.id() + " already holds job " + agent.currentJobId());
        }
        return Transition.moved(agent.next(CONNECTED, event.jobId(), agent.lastSeenAt(), agent.connectedAt(),
                agent.sessionExpiresAt(), event.at(), event.actor()));
    }

    private static Transition<Agent> release(Agent agent, ReleaseJob event) {
        if (agent.currentJobId() == null) {
            return duplicate(agent, event);
        }
        if (agent.state().isTerminal()) {
            return terminal(agent, event);
        }
        if (!agent.currentJobId().equals(event.jobId())) {
            return Transition.rejected(RejectionReason.WRONG_JOB,
                    "agent " + agent.id() + " holds job " + agent.currentJobId() + ", not " + event.jobId());
        }
        return Transition.moved(agent.next(agent.state(), null, agent.lastSeenAt(), agent.connectedAt(),
                agent.sessionExpiresAt(), event.at(), event.actor()));
    }

    private static Transition<Agent> reconnect(Agent agent, Reconnect event) {
        if (agent.state() == CONNECTED) {
            return duplicate(agent, event);
        }
        if (agent.state() != LOST) {
            return agent.state().isTerminal() ? terminal(agent, event) : illegal(agent, event);
        }
        Instant sessionExpiry = event.sessionExpiresAt() != null ? event.sessionExpiresAt() : agent.sessionExpiresAt();
        // Its job, if any, was failed as agent_lost when it was marked lost: it comes back idle.
        return Transition.moved(agent.next(CONNECTED, null, event.at(), event.at(), sessionExpiry, event.at(),
                event.actor()));
    }

    private static Transition<Agent> duplicate(Agent agent, AgentEvent event) {
        return Transition.rejected(RejectionReason.ALREADY_APPLIED,
                event.getClass().getSimpleName() + " already applied to agent " + agent.id());
    }

    private static Transition<Agent> terminal(Agent agent, AgentEvent event) {
        return Transition.rejected(RejectionReason.TERMINAL,
                "agent " + agent.id() + " is DISCONNECTED; " + event.getClass().getSimpleName() + " ignored");
    }

    private static Transition<Agent> illegal(Agent agent, AgentEvent event) {
        return Transition.rejected(RejectionReason.ILLEGAL_TRANSITION,
                event.getClass().getSimpleName() + " does not apply to agent " + agent.id() + " in state "
                        + agent.state());
    }

    private static Map<AgentState, Set<AgentState>> buildAllowed() {
        Map<AgentState, Set<AgentState>> table = new EnumMap<>(AgentState.class);
        table.put(CONNECTED, Collections.unmodifiableSet(EnumSet.of(CONNECTED, PAUSED, DRAINING, LOST, DISCONNECTED)));
        table.put(PAUSED, Collections.unmodifiableSet(EnumSet.of(PAUSED, CONNECTED, DRAINING, LOST, DISCONNECTED)));
        table.put(DRAINING, Collections.unmodifiableSet(EnumSet.of(DRAINING, LOST, DISCONNECTED)));
        table.put(LOST, Collections.unmodifiableSet(EnumSet.of(LOST, CONNECTED, DISCONNECTED)));
        table.put(DISCONNECTED, Collections.unmodifiableSet(EnumSet.noneOf(AgentState.class)));
        return Collections.unmodifiableMap(table);
    }
}
