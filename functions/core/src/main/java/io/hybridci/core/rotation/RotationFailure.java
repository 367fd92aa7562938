package io.hybridci.core.rotation;

/**
 * A rotation step that must fail so Secrets Manager keeps AWSCURRENT where it is and reports the
 * rotation as failed. The message names the secret and the step, never a value.
 */
public final class RotationFailure extends RuntimeException {
    public RotationFailure(String message) {
        super(message);
    }
}
