package io.hybridci.core.job;

import io.hybridci.core.statemachine.Transition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Explores the job machine exhaustively from freshly planned jobs with every verb, so the random
 * sequences of {@link JobTransitionsProperties} are known to range over the whole table.
 */
class JobReachabilityTest {

    @Test
    void shouldReachEveryStateAndTakeEveryEdge_whenEveryEventIsTriedFromEveryReachableJob() {
        Set<JobState> reached = EnumSet.noneOf(JobState.class);
        Map<JobState, Set<JobState>> taken = new EnumMap<>(JobState.class);
        for (JobState state : JobState.values()) {
            taken.put(state, EnumSet.noneOf(JobState.class));
        }
        Deque<Job> frontier = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        for (JobKind kind : JobKind.values()) {
            frontier.add(JobFixtures.planned(kind));
        }
        while (!frontier.isEmpty()) {
            Job job = frontier.poll();
            reached.add(job.state());
            // The shape of a job, not its version or times, decides what can happen next.
            if (!seen.add(job.kind() + "/" + job.state() + "/" + job.agentId() + "/" + (job.dispatchedAt() != null))) {
                continue;
            }
            Instant at = job.updatedAt().plusSeconds(1);
            for (JobTransitionsProperties.Verb verb : JobTransitionsProperties.Verb.values()) {
                for (int exitStatus : List.of(0, 1)) {
                    JobEvent event = new JobTransitionsProperties.Step(verb, JobFixtures.AGENT, exitStatus, 1).toEvent(at);
                    if (JobTransitions.apply(job, event) instanceof Transition.Moved<Job>(Job next)) {
                        taken.get(job.state()).add(next.state());
                        frontier.add(next);
                    }
                }
            }
        }

        assertEquals(EnumSet.allOf(JobState.class), reached);
        assertEquals(JobTransitions.allowed(), taken);
    }
}
