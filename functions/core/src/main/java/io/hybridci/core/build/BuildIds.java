package io.hybridci.core.build;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * Deterministic build ids: the same trigger (a GitHub delivery, an API request id) always gives
 * the same id, so a re-delivered webhook's conditional put creates nothing twice.
 */
public final class BuildIds {

    private BuildIds() {
    }

    /** The name-based UUID of a trigger id, e.g. the {@code X-GitHub-Delivery} header. */
    public static String of(String triggerId) {
        Objects.requireNonNull(triggerId, "triggerId");
        return UUID.nameUUIDFromBytes(("build\u0000" + triggerId).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
