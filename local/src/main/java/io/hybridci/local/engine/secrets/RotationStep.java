package io.hybridci.local.engine.secrets;

/** The four steps Secrets Manager asks a rotation function to run, in this order. */
public enum RotationStep {
    /** Make the new value and store it as AWSPENDING under the rotation's token. */
    createSecret,
    /** Set the new value in the system the secret protects. */
    setSecret,
    /** Check the new value works. */
    testSecret,
    /** Move AWSCURRENT to the new version. */
    finishSecret
}
