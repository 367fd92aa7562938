package io.hybridci.core.status;

/**
 * A commit status could not be set (rate limited for longer than a function may wait, GitHub down,
 * credentials refused). Thrown through the handler on purpose: EventBridge's asynchronous
 * invocation retries the event, and a build never waits on its status.
 */
public final class StatusReportException extends RuntimeException {

    private final boolean retryable;

    public StatusReportException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public StatusReportException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** False when trying again cannot help (e.g. 404: no such repository for these credentials). */
    public boolean retryable() {
        return retryable;
    }
}
