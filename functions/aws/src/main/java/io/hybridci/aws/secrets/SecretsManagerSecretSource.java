package io.hybridci.aws.secrets;

import io.hybridci.core.port.SecretSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * {@link SecretSource} on Secrets Manager. Reads the webhook secret's AWSCURRENT and AWSPENDING
 * versions (both verify a delivery during a rotation) and the admin token, and keeps them for
 * {@link #DEFAULT_TTL}: a warm function does not call Secrets Manager per request, and a rotation
 * is seen within a minute (the rotator's testSecret step waits for that before finishSecret).
 * Values never reach a log or an exception message.
 */
public final class SecretsManagerSecretSource implements SecretSource {
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);

    private record Snapshot(List<String> webhookSecrets, List<String> adminTokenHashes, Instant readAt) {}

    private final SecretsManagerClient secrets;
    private final String webhookSecretId;
    private final String adminTokenSecretId;
    private final Clock clock;
    private final Duration ttl;
    private volatile Snapshot snapshot;

    /** @param webhookSecretId or null when the function verifies no webhooks; same for the admin token */
    public SecretsManagerSecretSource(SecretsManagerClient secrets, String webhookSecretId, String adminTokenSecretId,
                                      Clock clock, Duration ttl) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.webhookSecretId = webhookSecretId;
        this.adminTokenSecretId = adminTokenSecretId;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
    }

    @Override
    public List<String> webhookSecrets() {
        return current().webhookSecrets();
    }

    @Override
    public List<String> adminTokenHashes() {
        return current().adminTokenHashes();
    }

    private Snapshot current() {
        Snapshot now = snapshot;
        if (now == null || !clock.instant().isBefore(now.readAt().plus(ttl))) {
            synchronized (this) {
                now = snapshot;
                if (now == null || !clock.instant().isBefore(now.readAt().plus(ttl))) {
                    now = read();
                    snapshot = now;
                }
            }
        }
        return now;
    }

    private Snapshot read() {
        List<String> webhook = new ArrayList<>();
        if (webhookSecretId != null) {
            version(webhookSecretId, "AWSCURRENT").ifPresent(webhook::add);
            version(webhookSecretId, "AWSPENDING").filter(pending -> !webhook.contains(pending)).ifPresent(webhook::add);
        }
        List<String> admin = new ArrayList<>();
        if (adminTokenSecretId != null) {
            version(adminTokenSecretId, "AWSCURRENT").map(SecretsManagerSecretSource::sha256Hex).ifPresent(admin::add);
        }
        return new Snapshot(List.copyOf(webhook), List.copyOf(admin), clock.instant());
    }

    private Optional<String> version(String secretId, String stage) {
        try {
            return Optional.ofNullable(secrets.getSecretValue(GetSecretValueRequest.builder().secretId(secretId)
                    .versionStage(stage).build()).secretString());
        } catch (ResourceNotFoundException noSuchStage) {
            // AWSPENDING exists only during a rotation.
            return Optional.empty();
        }
    }

    private static String sha256Hex(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "SecretsManagerSecretSource[webhook=" + webhookSecretId + ", admin=" + adminTokenSecretId + "]";
    }

}
