package io.hybridci.core.userapi;

import io.hybridci.core.job.Job;

import java.util.Objects;

/** The outcome of a user's command on a job ({@link UserApi#cancel}, {@link UserApi#retry}). */
public sealed interface JobCommandResult {

    /** Done: for a cancel, the job as it is now; for a retry, the new attempt. */
    record Done(Job job) implements JobCommandResult {
        public Done {
            Objects.requireNonNull(job, "job");
        }
    }

    /** No such job. */
    record NotFound() implements JobCommandResult {}

    /** The job's state does not allow it (finished, already retried, retries not allowed). */
    record Conflict(String message) implements JobCommandResult {
        public Conflict {
            Objects.requireNonNull(message, "message");
        }
    }
}
