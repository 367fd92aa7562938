package io.hybridci.agent;

/**
 * A control-plane call that did not get an answer the agent can act on.
 * {@link #retryable()} says whether trying again later can help (network errors, 5xx, 429).
 */
public sealed class ControlPlaneException extends Exception permits ControlPlaneException.Unauthorized {

    private final int status;
    private final boolean retryable;

    public ControlPlaneException(String message, int status, boolean retryable, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryable = retryable;
    }

    /** The HTTP status, or 0 when no answer arrived. */
    public int status() {
        return status;
    }

    public boolean retryable() {
        return retryable;
    }

    /** 401: the token is unknown, expired or revoked; the agent registers again. */
    public static final class Unauthorized extends ControlPlaneException {
        public Unauthorized(String message) {
            super(message, 401, false, null);
        }
    }
}
