package io.hybridci.core.rotation;

import io.hybridci.core.security.Secret;

import java.time.Instant;
import java.util.Objects;

/**
 * A rotation started by an admin and stopped after testSecret: the pending value, shown once for pasting
 * where it is used (GitHub), kept a {@link Secret} so it cannot reach a log by accident.
 *
 * @param alreadyPending true when a rotation was under way (e.g. a scheduled one) and this is its value
 * @param finishBy when the grace period finishes it if no admin does; null when nothing waits
 */
public record BegunRotation(String secret, String versionId, Secret pendingValue, boolean alreadyPending,
                            Instant finishBy) {
    public BegunRotation {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(versionId, "versionId");
        Objects.requireNonNull(pendingValue, "pendingValue");
    }
}
