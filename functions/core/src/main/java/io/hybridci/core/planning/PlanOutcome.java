package io.hybridci.core.planning;

import java.util.List;
import java.util.Objects;

/** What {@link BuildPlanner} did with one event; the handler logs it. */
public sealed interface PlanOutcome permits PlanOutcome.Planned, PlanOutcome.NothingToBuild {

    /**
     * Items were written, or had been by an earlier delivery of the same event.
     *
     * @param buildId the build planned for
     * @param createdJobIds jobs this call created, in step order
     * @param existingJobIds jobs that already existed (a re-delivery): left as they are
     */
    record Planned(String buildId, List<String> createdJobIds, List<String> existingJobIds) implements PlanOutcome {
        public Planned {
            Objects.requireNonNull(buildId, "buildId");
            createdJobIds = List.copyOf(createdJobIds);
            existingJobIds = List.copyOf(existingJobIds);
        }
    }

    /** The event asks for no build (a deleted branch, a closed pull request); nothing was written. */
    record NothingToBuild(String reason) implements PlanOutcome {
        public NothingToBuild {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
