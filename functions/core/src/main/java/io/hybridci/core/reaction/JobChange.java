package io.hybridci.core.reaction;

import io.hybridci.core.job.Job;
import java.util.Objects;

/**
 * One stream record of a job item, as the {@link StateReactor} sees it: the job before and after
 * the write. DynamoDB Streams with {@code NEW_AND_OLD_IMAGES} give both; an INSERT has no
 * {@code before}, a REMOVE no {@code after}.
 *
 * @param eventId the stream record's {@code eventID}, the idempotency key of the reaction
 * @param before the job before the write, {@code null} when it was created
 * @param after the job after the write, {@code null} when it was removed
 */
public record JobChange(String eventId, Job before, Job after) {

    public JobChange {
        Objects.requireNonNull(eventId, "eventId");
        if (before == null && after == null) {
            throw new IllegalArgumentException("a job change needs a before or an after image");
        }
        if (before != null && after != null && !before.id().equals(after.id())) {
            throw new IllegalArgumentException("before and after are different jobs: " + before.id() + ", " + after.id());
        }
    }

    /** Whether the write changed the job's state (a creation counts as a change from nothing). */
    public boolean changedState() {
        return after != null && (before == null || before.state() != after.state());
    }

    /** Whether the job entered a terminal state with this write. */
    public boolean enteredTerminalState() {
        return after != null && after.state().isTerminal() && (before == null || !before.state().isTerminal());
    }
}
