package io.hybridci.core.status;

/** What {@link BuildStatusReporting} did with one event. */
public sealed interface StatusReport {

    /** The status was set on GitHub. */
    record Reported(String repo, String commit, CommitStatus status) implements StatusReport {}

    /** Nothing was sent, and why (e.g. a ref deletion has no commit to carry a status). */
    record NotReported(String reason) implements StatusReport {}
}
