package io.hybridci.local.engine.http;

/**
 * A failed AWS JSON call, answered with HTTP 400 and {@code {"__type": type, "message": message}}, the
 * shape from which the SDK builds the matching modelled exception (e.g. ResourceNotFoundException).
 */
public final class AwsJsonError extends RuntimeException {

    private final String type;
    private final int status;

    public AwsJsonError(String type, String message) {
        this(type, message, 400);
    }

    public AwsJsonError(String type, String message, int status) {
        super(message, null, false, false);
        this.type = type;
        this.status = status;
    }

    /** The error code, e.g. {@code ResourceNotFoundException}. */
    public String type() {
        return type;
    }

    /** The HTTP status, 400 for client errors, 500 for the service's own failures. */
    public int status() {
        return status;
    }
}
