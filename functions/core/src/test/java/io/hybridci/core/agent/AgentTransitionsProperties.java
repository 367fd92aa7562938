package io.hybridci.core.agent;

import io.hybridci.core.statemachine.Transition;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

/** Invariants of the agent state machine over random event sequences. */
class AgentTransitionsProperties {

    record Step(int verb, String jobId, int delaySeconds) {
        AgentEvent toEvent(Instant at) {
            String self = "agent:a1";
            return switch (verb) {
                case 0 -> new AgentEvent.Ping(at, null, self);
                case 1 -> new AgentEvent.Pause(at, self);
                case 2 -> new AgentEvent.Resume(at, self);
                case 3 -> new AgentEvent.Drain(at, self);
                case 4 -> new AgentEvent.MarkLost(at, "system:reaper");
                case 5 -> new AgentEvent.Disconnect(at, self);
                case 6 -> new AgentEvent.AssignJob(jobId, at, self);
                case 7 -> new AgentEvent.ReleaseJob(jobId, at, self);
                default -> new AgentEvent.Reconnect(at, null, self);
            };
        }
    }

    /** Up to 40 events of the nine kinds, naming one of two jobs, 0 to 2 seconds apart. */
    static Gen<List<Step>> steps() {
        Gen<Step> step = integers().between(0, 8)
                .zip(Generate.pick(List.of("job-1", "job-2")), integers().between(0, 2), Step::new);
        return lists().of(step).ofSizeBetween(0, 40);
    }

    @Test
    void movesFollowTheTableAndDisconnectedIsAbsorbing() {
        qt().withExamples(500).forAll(steps())
                .checkAssert(AgentTransitionsProperties::movesFollowTheTableAndDisconnectedIsAbsorbing);
    }

    private static void movesFollowTheTableAndDisconnectedIsAbsorbing(List<Step> steps) {
        Instant at = AgentTransitionsTest.T0;
        Agent agent = Agent.registered("a1", "host", List.of("default"), "1.0", at, at.plusSeconds(3600), "agent:a1");
        for (Step step : steps) {
            at = at.plusSeconds(step.delaySeconds());
            AgentEvent event = step.toEvent(at);
            Transition<Agent> result = AgentTransitions.apply(agent, event);
            if (agent.state().isTerminal()) {
                assertInstanceOf(Transition.Rejected.class, result);
            }
            if (result instanceof Transition.Moved<Agent>(Agent next)) {
                assertTrue(AgentTransitions.allowed().get(agent.state()).contains(next.state()),
                        agent.state() + " -> " + next.state() + " on " + event);
                assertEquals(agent.version() + 1, next.version());
                assertEquals(event.actor(), next.lastActor());
                assertTrue(!next.lastSeenAt().isBefore(agent.lastSeenAt()), "lastSeenAt went backwards");
                if (next.currentJobId() != null && agent.currentJobId() == null) {
                    assertEquals(AgentState.CONNECTED, agent.state(), "only a connected agent takes new work");
                }
                agent = next;
            }
        }
    }
}
