package io.hybridci.local.engine.secrets;

/**
 * A local rotation function: what Secrets Manager would invoke as a Lambda with
 * {@code {"Step": step, "SecretId": secretArn, "ClientRequestToken": token}}. Implementations call back
 * into the local Secrets Manager through a real SecretsManagerClient, exactly as the deployed function does.
 */
@FunctionalInterface
public interface RotationFunction {

    /** Runs one step; throwing stops the rotation, leaving the AWSPENDING version in place as AWS does. */
    void invoke(RotationStep step, String secretArn, String clientRequestToken) throws Exception;
}
