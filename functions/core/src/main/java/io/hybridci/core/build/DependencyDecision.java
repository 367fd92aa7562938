package io.hybridci.core.build;

import java.util.List;
import java.util.Objects;

/** What the state-reactor should do with a PENDING job, see {@link Dependencies#evaluate}. */
public sealed interface DependencyDecision {

    /** Every dependency passed: queue it (or block it, for a block step). */
    record Ready() implements DependencyDecision {
    }

    /** Some dependencies have not finished (or are being retried); look again when they change. */
    record Waiting(List<String> waitingOn) implements DependencyDecision {
        public Waiting {
            waitingOn = List.copyOf(waitingOn);
        }
    }

    /** A dependency ended without passing and will not be retried: skip the job with {@code reason}. */
    record Skip(String reason, String dependencyKey) implements DependencyDecision {
        public Skip {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(dependencyKey, "dependencyKey");
        }
    }

    /** The job is no longer PENDING (a stale read): nothing to decide. */
    record NotPending() implements DependencyDecision {
    }
}
