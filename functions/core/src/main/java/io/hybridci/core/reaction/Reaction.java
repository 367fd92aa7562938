package io.hybridci.core.reaction;

import io.hybridci.core.build.BuildState;
import io.hybridci.core.job.JobState;
import io.hybridci.core.port.EventPublisher.BusEvent;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the {@link StateReactor} did for one job change, for logs and tests. Every list holds only
 * what <em>this</em> call wrote or sent: a re-delivered record that finds everything done
 * reports empty lists (and re-publishes the job's own event, see {@link StateReactor}).
 *
 * @param dispatchedJobIds jobs sent to their {@code jobs-<queue>} queue
 * @param createdAttemptIds new attempts created by an automatic retry
 * @param movedDependents PENDING jobs of the build moved to QUEUED, BLOCKED or SKIPPED, by id
 * @param buildMovedTo the build's new rolled-up state, when this call changed it
 * @param published the events put on the bus
 */
public record Reaction(List<String> dispatchedJobIds, List<String> createdAttemptIds,
                       Map<String, JobState> movedDependents, Optional<BuildState> buildMovedTo,
                       List<BusEvent> published) {

    public Reaction {
        dispatchedJobIds = List.copyOf(dispatchedJobIds);
        createdAttemptIds = List.copyOf(createdAttemptIds);
        movedDependents = Map.copyOf(movedDependents);
        Objects.requireNonNull(buildMovedTo, "buildMovedTo");
        published = List.copyOf(published);
    }

    /** Nothing to do: a removed job, or a change the reactor does not act on. */
    public static Reaction nothing() {
        return new Reaction(List.of(), List.of(), Map.of(), Optional.empty(), List.of());
    }
}
