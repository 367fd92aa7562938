package io.hybridci.core.approval;

import io.hybridci.core.job.Job;

import java.util.List;
import java.util.Objects;

/** The outcome of approving or rejecting a block step ({@link BlockApprovals}). */
public sealed interface ApprovalResult {

    /** Done: the block job as it is now (PASSED after an approval, FAILED after a rejection). */
    record Done(Job job) implements ApprovalResult {
        public Done {
            Objects.requireNonNull(job, "job");
        }
    }

    /** No such job. */
    record NotFound() implements ApprovalResult {}

    /** The job is not a block step awaiting a decision (another kind, or already decided the other way). */
    record Conflict(String message) implements ApprovalResult {
        public Conflict {
            Objects.requireNonNull(message, "message");
        }
    }

    /** The field values do not fit the step's field definitions; one readable line per problem. */
    record InvalidFields(List<String> problems) implements ApprovalResult {
        public InvalidFields {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("InvalidFields needs at least one problem");
            }
        }
    }

    /** The caller's role may not approve deploys to the job's environment (its protection's allowed roles). */
    record Forbidden(String message) implements ApprovalResult {
        public Forbidden {
            Objects.requireNonNull(message, "message");
        }
    }
}
