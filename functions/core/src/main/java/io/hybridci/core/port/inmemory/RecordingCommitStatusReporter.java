package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.CommitStatusReporter;
import io.hybridci.core.status.CommitStatus;
import io.hybridci.core.status.StatusReportException;
import java.util.ArrayList;
import java.util.List;

/** {@link CommitStatusReporter} for tests: records every status, and can refuse the next calls. */
public final class RecordingCommitStatusReporter implements CommitStatusReporter {

    /** One status set on one commit. */
    public record Call(String repo, String commit, CommitStatus status) {}

    private final List<Call> calls = new ArrayList<>();
    private int failuresLeft;

    @Override
    public synchronized void report(String repo, String commit, CommitStatus status) {
        if (failuresLeft > 0) {
            failuresLeft--;
            throw new StatusReportException("recording reporter told to fail", true);
        }
        calls.add(new Call(repo, commit, status));
    }

    /** The next {@code count} calls throw, as GitHub being down would. */
    public synchronized void failNext(int count) {
        failuresLeft = count;
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }
}
