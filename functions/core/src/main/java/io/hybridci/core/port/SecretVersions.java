package io.hybridci.core.port;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The versions of a Secrets Manager secret and their staging labels: what the rotation protocol
 * reads and moves (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html).
 * Values only ever leave through {@link #valueOf}; no method puts one into an exception message.
 */
public interface SecretVersions {

    /** The label of the version in use. */
    String CURRENT = "AWSCURRENT";
    /** The label of the version being rotated in. */
    String PENDING = "AWSPENDING";
    /** The label Secrets Manager moves to the version AWSCURRENT left. */
    String PREVIOUS = "AWSPREVIOUS";

    /** The secret's versions with their labels; empty when no such secret exists. */
    Optional<SecretDescription> describe(String secretId);

    /** The value of one version (by id), empty when it has none (yet). */
    Optional<String> valueOf(String secretId, String versionId);

    /**
     * Stores {@code value} as version {@code versionId} labelled AWSPENDING. Idempotent for the same
     * version and value (Secrets Manager's {@code ClientRequestToken}); a different value for an
     * existing version is refused with {@link IllegalStateException}.
     */
    void putPending(String secretId, String versionId, String value);

    /**
     * Moves {@code stage} to {@code toVersionId}, removing it from {@code fromVersionId} (null when no version
     * has it). Moving AWSCURRENT puts AWSPREVIOUS on the version it left, as Secrets Manager does.
     */
    void moveStage(String secretId, String stage, String toVersionId, String fromVersionId);

    /** Removes {@code stage} from {@code fromVersionId}; nothing happens when that version does not have it. */
    void removeStage(String secretId, String stage, String fromVersionId);

    /** A secret as described: its versions, newest knowledge first is not implied. */
    record SecretDescription(String secretId, boolean rotationEnabled, List<SecretVersion> versions) {
        public SecretDescription {
            Objects.requireNonNull(secretId, "secretId");
            versions = List.copyOf(versions);
        }

        public Optional<SecretVersion> version(String versionId) {
            return versions.stream().filter(version -> version.versionId().equals(versionId)).findFirst();
        }

        public Optional<SecretVersion> withStage(String stage) {
            return versions.stream().filter(version -> version.stages().contains(stage)).findFirst();
        }
    }

    /** One version: its id (the rotation's token), labels, and when it was created (null if unknown). */
    record SecretVersion(String versionId, Set<String> stages, Instant createdAt) {
        public SecretVersion {
            Objects.requireNonNull(versionId, "versionId");
            stages = Set.copyOf(stages);
        }
    }
}
