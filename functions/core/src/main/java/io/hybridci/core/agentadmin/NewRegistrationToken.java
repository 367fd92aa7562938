package io.hybridci.core.agentadmin;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An admin's request for a registration token; validates itself.
 *
 * @param allowedQueues queues agents registering with it may serve; empty means any
 * @param expiresAt null for no expiry
 */
public record NewRegistrationToken(String description, List<String> allowedQueues, Instant expiresAt) {
    public NewRegistrationToken {
        allowedQueues = List.copyOf(Objects.requireNonNull(allowedQueues, "allowedQueues"));
        if (description != null && description.length() > 200) {
            throw new IllegalArgumentException("description must be at most 200 characters");
        }
    }
}
