package io.hybridci.core.port;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A registration token as stored: its hash, never its value.
 *
 * @param allowedQueues queues an agent registering with it may serve; empty means any
 * @param expiresAt null for no expiry
 */
public record RegistrationToken(String id, String tokenHash, String description, List<String> allowedQueues,
                                Instant createdAt, Instant expiresAt, boolean revoked) {
    public RegistrationToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tokenHash, "tokenHash");
        allowedQueues = List.copyOf(allowedQueues);
    }

    public boolean validAt(Instant now) {
        return !revoked && (expiresAt == null || now.isBefore(expiresAt));
    }

    public boolean allows(List<String> queues) {
        return allowedQueues.isEmpty() || allowedQueues.containsAll(queues);
    }
}
