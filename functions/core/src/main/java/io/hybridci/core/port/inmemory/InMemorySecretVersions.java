package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.SecretVersions;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@link SecretVersions} in memory with Secrets Manager's label rules (a label is on at most one
 * version; moving AWSCURRENT leaves AWSPREVIOUS behind), for unit tests of the rotation.
 */
public final class InMemorySecretVersions implements SecretVersions {

    private record Version(String value, Set<String> stages, Instant createdAt) {}

    private final Map<String, Map<String, Version>> secrets = new LinkedHashMap<>();
    private final Map<String, Boolean> rotationEnabled = new LinkedHashMap<>();
    private final Clock clock;

    public InMemorySecretVersions(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Creates a secret whose first version ({@code versionId}) is AWSCURRENT, with rotation enabled. */
    public synchronized void create(String secretId, String versionId, String value) {
        Map<String, Version> versions = new LinkedHashMap<>();
        versions.put(versionId, new Version(value, new HashSet<>(Set.of(CURRENT)), clock.instant()));
        secrets.put(secretId, versions);
        rotationEnabled.put(secretId, true);
    }

    @Override
    public synchronized Optional<SecretDescription> describe(String secretId) {
        Map<String, Version> versions = secrets.get(nameOf(secretId));
        if (versions == null) {
            return Optional.empty();
        }
        List<SecretVersion> described = new ArrayList<>();
        versions.forEach((id, version) -> described.add(new SecretVersion(id, version.stages(), version.createdAt())));
        return Optional.of(new SecretDescription(secretId, rotationEnabled.get(nameOf(secretId)), described));
    }

    @Override
    public synchronized Optional<String> valueOf(String secretId, String versionId) {
        return Optional.ofNullable(secrets.get(nameOf(secretId))).map(versions -> versions.get(versionId))
                .map(Version::value);
    }

    @Override
    public synchronized void putPending(String secretId, String versionId, String value) {
        Map<String, Version> versions = existing(secretId);
        Version existing = versions.get(versionId);
        if (existing != null && existing.value() != null && !existing.value().equals(value)) {
            throw new IllegalStateException("version " + versionId + " of " + secretId + " already holds another value");
        }
        versions.values().forEach(version -> version.stages().remove(PENDING));
        Set<String> stages = existing == null ? new HashSet<>() : existing.stages();
        stages.add(PENDING);
        versions.put(versionId, new Version(value, stages, existing == null ? clock.instant() : existing.createdAt()));
    }

    @Override
    public synchronized void moveStage(String secretId, String stage, String toVersionId, String fromVersionId) {
        Map<String, Version> versions = existing(secretId);
        Version target = versions.get(toVersionId);
        if (target == null) {
            throw new IllegalStateException("secret " + secretId + " has no version " + toVersionId);
        }
        Version holder = versions.entrySet().stream().filter(entry -> entry.getValue().stages().contains(stage))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        String holderId = versions.entrySet().stream().filter(entry -> entry.getValue().stages().contains(stage))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        if (holderId != null && !holderId.equals(toVersionId) && !holderId.equals(fromVersionId)) {
            // Secrets Manager refuses a move that does not name the version the label is on.
            throw new IllegalStateException("stage " + stage + " is on version " + holderId + ", not " + fromVersionId);
        }
        if (holder != null) {
            holder.stages().remove(stage);
            if (CURRENT.equals(stage) && !holderId.equals(toVersionId)) {
                versions.values().forEach(version -> version.stages().remove(PREVIOUS));
                holder.stages().add(PREVIOUS);
            }
        }
        target.stages().add(stage);
    }

    @Override
    public synchronized void removeStage(String secretId, String stage, String fromVersionId) {
        Version version = existing(secretId).get(fromVersionId);
        if (version != null) {
            version.stages().remove(stage);
        }
    }

    private Map<String, Version> existing(String secretId) {
        Map<String, Version> versions = secrets.get(nameOf(secretId));
        if (versions == null) {
            throw new IllegalStateException("no secret " + secretId);
        }
        return versions;
    }

    /** Secrets Manager takes a name or an ARN ({@code …:secret:<name>-<6 characters>}) wherever it takes an id. */
    private String nameOf(String secretId) {
        for (String name : secrets.keySet()) {
            if (secretId.equals(name) || secretId.contains(":secret:" + name + "-")) {
                return name;
            }
        }
        return secretId;
    }
}
