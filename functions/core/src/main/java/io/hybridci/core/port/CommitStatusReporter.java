package io.hybridci.core.port;

import io.hybridci.core.status.CommitStatus;

/**
 * Sets a commit status on the code host (GitHub: {@code POST /repos/{owner}/{repo}/statuses/{sha}}).
 * Adapters: {@code GithubCommitStatusReporter} (functions/aws, java.net.http) and
 * {@code RecordingCommitStatusReporter} (tests).
 */
public interface CommitStatusReporter {

    /**
     * Sets {@code status} on {@code commit} of {@code repo} ({@code owner/name}).
     *
     * @throws io.hybridci.core.status.StatusReportException when the host did not accept it after the
     *         adapter's own retries; the caller lets it propagate so the event is retried later
     */
    void report(String repo, String commit, CommitStatus status);
}
