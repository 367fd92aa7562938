package io.hybridci.rotator;

import io.hybridci.topology.Topology;

import java.time.Duration;
import java.util.Map;

/**
 * The rotator's settings from its environment, read once per container.
 *
 * @param grace how long a webhook-secret rotation waits for {@code secrets finish} before it is finished anyway
 */
public record RotatorConfig(Duration grace) {

    /** Hours a held webhook-secret rotation waits for an admin; default 24. */
    public static final String GRACE_HOURS = "HYBRIDCI_ROTATION_GRACE_HOURS";

    /** Secrets Manager names the rotator knows, as the topology declares them. */
    public static final String WEBHOOK_SECRET = Topology.WEBHOOK_SECRET;
    public static final String REGISTRATION_TOKEN_SECRET = Topology.REGISTRATION_TOKEN_SECRET;

    public static RotatorConfig fromEnv(Map<String, String> env) {
        String hours = env.get(GRACE_HOURS);
        if (hours == null || hours.isBlank()) {
            return new RotatorConfig(io.hybridci.core.rotation.SecretRotation.DEFAULT_GRACE);
        }
        try {
            long parsed = Long.parseLong(hours.trim());
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return new RotatorConfig(Duration.ofHours(parsed));
        } catch (NumberFormatException notHours) {
            throw new IllegalStateException(GRACE_HOURS + " must be a whole number of hours ≥ 0");
        }
    }
}
