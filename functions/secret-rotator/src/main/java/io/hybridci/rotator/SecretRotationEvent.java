package io.hybridci.rotator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The event Secrets Manager invokes a rotation function with
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html):
 * {@code {"Step": "createSecret", "SecretId": "<arn>", "ClientRequestToken": "<version id>",
 * "RotationToken": "<present for rotations Secrets Manager started itself>"}}.
 *
 * @param rotationToken only used by Secrets Manager to check the caller; we do not need it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SecretRotationEvent(@JsonProperty("Step") String step,
                                  @JsonProperty("SecretId") String secretId,
                                  @JsonProperty("ClientRequestToken") String clientRequestToken,
                                  @JsonProperty("RotationToken") String rotationToken) {

    @Override
    public String toString() {  // the rotation token authorises calls back to Secrets Manager: keep it out of logs
        return "SecretRotationEvent[step=" + step + ", secretId=" + secretId + ", clientRequestToken="
                + clientRequestToken + "]";
    }
}
