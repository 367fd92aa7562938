package io.hybridci.core.rotation;

import java.time.Instant;

/**
 * A secret's rotation as an admin sees it, without values.
 *
 * @param pendingVersionId null when no rotation is under way
 * @param finishBy when the grace period finishes the pending rotation; null without one
 */
public record RotationStatus(String secret, String currentVersionId, String pendingVersionId, Instant pendingSince,
                             Instant finishBy) {
}
