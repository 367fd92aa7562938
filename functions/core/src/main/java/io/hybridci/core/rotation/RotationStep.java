package io.hybridci.core.rotation;

import java.util.Optional;

/**
 * The four steps Secrets Manager asks a rotation function to run, in this order
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html).
 * Secrets Manager may invoke any step again, so each one is idempotent.
 */
public enum RotationStep {
    /** Make a new value and store it as AWSPENDING under the rotation's token, unless it is there already. */
    CREATE_SECRET("createSecret"),
    /** Put the pending value into the system the secret protects. */
    SET_SECRET("setSecret"),
    /** Check that the pending value works there. */
    TEST_SECRET("testSecret"),
    /** Move AWSCURRENT to the pending version (Secrets Manager moves AWSPREVIOUS to the old one). */
    FINISH_SECRET("finishSecret");

    private final String wireName;

    RotationStep(String wireName) {
        this.wireName = wireName;
    }

    /** The value of the event's {@code Step} field. */
    public String wireName() {
        return wireName;
    }

    public static Optional<RotationStep> fromWireName(String name) {
        for (RotationStep step : values()) {
            if (step.wireName.equals(name)) {
                return Optional.of(step);
            }
        }
        return Optional.empty();
    }
}
