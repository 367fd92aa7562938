package io.hybridci.core.rotation;

/** What one rotation step did. A step that cannot proceed throws {@link RotationFailure} instead. */
public sealed interface StepOutcome {

    /** The step changed something. */
    record Done(RotationStep step, String what) implements StepOutcome {}

    /** The step had run before (Secrets Manager re-invoked it): nothing changed. */
    record AlreadyDone(RotationStep step, String why) implements StepOutcome {}

    /**
     * finishSecret of a secret an admin finishes: AWSPENDING stays until {@code secrets finish} or the
     * grace period. Secrets Manager sees a successful step; the next rotation attempt re-runs it.
     */
    record Held(String why) implements StepOutcome {}
}
