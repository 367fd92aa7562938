package io.hybridci.core.rotation;

import io.hybridci.core.port.SecretVersions;
import io.hybridci.core.port.SecretVersions.SecretDescription;
import io.hybridci.core.port.SecretVersions.SecretVersion;
import io.hybridci.core.security.Secret;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The Secrets Manager rotation protocol for the control plane's secrets, each step idempotent, after
 * AWS's rotation function template
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html):
 * createSecret → setSecret → testSecret → finishSecret.
 *
 * <p>A secret that a person must copy elsewhere ({@link RotatedSecret#finishedByAdmin()}, the webhook
 * secret) is not finished by finishSecret at once: while AWSPENDING is there both values verify, and the
 * rotation ends when an admin calls {@link #finish} or when {@link #finishOverdue} finds it older than the
 * grace period. {@link #begin} runs the first three steps for an admin and returns the pending value.
 */
public final class SecretRotation {

    /** How long a held webhook rotation waits for an admin before the grace period finishes it. */
    public static final Duration DEFAULT_GRACE = Duration.ofHours(24);

    private static final System.Logger LOG = System.getLogger(SecretRotation.class.getName());

    private final SecretVersions versions;
    private final List<RotatedSecret> secrets;
    private final Duration grace;
    private final Clock clock;

    public SecretRotation(SecretVersions versions, List<RotatedSecret> secrets, Duration grace, Clock clock) {
        this.versions = Objects.requireNonNull(versions, "versions");
        this.secrets = List.copyOf(secrets);
        this.grace = Objects.requireNonNull(grace, "grace");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, was " + grace);
        }
    }

    /** The grace period after which a held rotation is finished without an admin. */
    public Duration grace() {
        return grace;
    }

    /** Runs one step of a Secrets Manager rotation event; throws {@link RotationFailure} when it must fail. */
    public StepOutcome run(RotationStep step, String secretId, String token) {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(token, "token");
        RotatedSecret secret = secretNamedBy(secretId);
        SecretDescription described = describe(secretId, secret);
        if (!described.rotationEnabled()) {
            throw new RotationFailure(secret.name() + ": rotation is not enabled");
        }
        SecretVersion version = described.version(token).orElseThrow(() -> new RotationFailure(
                secret.name() + ": version " + token + " is not a version of the secret"));
        if (version.stages().contains(SecretVersions.CURRENT)) {
            // The template's rule: a token already AWSCURRENT means this rotation finished before.
            return new StepOutcome.AlreadyDone(step, "version " + token + " is already AWSCURRENT");
        }
        if (!version.stages().contains(SecretVersions.PENDING)) {
            throw new RotationFailure(secret.name() + ": version " + token + " is not AWSPENDING");
        }
        return switch (step) {
            case CREATE_SECRET -> create(secretId, secret, described, token);
            case SET_SECRET -> {
                secret.set(pendingValue(secretId, secret, token));
                yield new StepOutcome.Done(step, "set in the protected system");
            }
            case TEST_SECRET -> {
                test(secret, pendingValue(secretId, secret, token));
                yield new StepOutcome.Done(step, "pending value well-formed and accepted");
            }
            case FINISH_SECRET -> {
                if (secret.finishedByAdmin() && !overdue(version, clock.instant())) {
                    yield new StepOutcome.Held(secret.name() + ": waits for `secrets finish` or the grace period ("
                            + finishBy(version) + ")");
                }
                yield finishVersion(secretId, secret, described, token);
            }
        };
    }

    /**
     * An admin starts a rotation of {@code secretName}: createSecret, setSecret and testSecret run on a new
     * version, which stays AWSPENDING. A rotation already under way (a scheduled one) is not started again:
     * its pending value is returned, unless it is past the grace period, which finishes it first.
     */
    public BegunRotation begin(String secretName) {
        RotatedSecret secret = secretNamedBy(secretName);
        SecretDescription described = describe(secretName, secret);
        Optional<SecretVersion> pending = pendingNotCurrent(described);
        if (pending.isPresent() && overdue(pending.get(), clock.instant())) {
            finishVersion(secretName, secret, described, pending.get().versionId());
            described = describe(secretName, secret);
            pending = Optional.empty();
        }
        if (pending.isPresent()) {
            String token = pending.get().versionId();
            String value = versions.valueOf(secretName, token).orElse(null);
            if (value != null) {
                return new BegunRotation(secret.name(), token, Secret.of(value), true, finishBy(pending.get()));
            }
            // A version labelled AWSPENDING without a value: a rotation that died before createSecret; take it over.
        }
        String token = pending.map(SecretVersion::versionId).orElseGet(() -> UUID.randomUUID().toString());
        String value = secret.generate();
        versions.putPending(secretName, token, value);
        secret.set(value);
        test(secret, value);
        SecretVersion created = describe(secretName, secret).version(token).orElseThrow(() -> new RotationFailure(
                secret.name() + ": version " + token + " vanished after it was written"));
        LOG.log(System.Logger.Level.INFO, secret.name() + ": rotation " + token + " begun by an admin");
        return new BegunRotation(secret.name(), token, Secret.of(value), false,
                secret.finishedByAdmin() ? finishBy(created) : null);
    }

    /** An admin finishes the pending rotation of {@code secretName}; a secret with none is left as it is. */
    public StepOutcome finish(String secretName) {
        RotatedSecret secret = secretNamedBy(secretName);
        SecretDescription described = describe(secretName, secret);
        Optional<SecretVersion> pending = pendingNotCurrent(described);
        if (pending.isEmpty()) {
            return new StepOutcome.AlreadyDone(RotationStep.FINISH_SECRET, secret.name() + " has no pending rotation");
        }
        test(secret, pendingValue(secretName, secret, pending.get().versionId()));
        return finishVersion(secretName, secret, described, pending.get().versionId());
    }

    /** The grace period: finishes every held rotation older than it. Run on a schedule; idempotent. */
    public List<StepOutcome> finishOverdue() {
        Instant now = clock.instant();
        return secrets.stream().filter(RotatedSecret::finishedByAdmin).flatMap(secret -> {
            Optional<SecretDescription> described = versions.describe(secret.name());
            return described.flatMap(SecretRotation::pendingNotCurrent).filter(pending -> overdue(pending, now))
                    .map(pending -> finishVersion(secret.name(), secret, described.get(), pending.versionId()))
                    .stream();
        }).toList();
    }

    /** The rotation state of {@code secretName}, without values. */
    public RotationStatus status(String secretName) {
        RotatedSecret secret = secretNamedBy(secretName);
        SecretDescription described = describe(secretName, secret);
        Optional<SecretVersion> pending = pendingNotCurrent(described);
        return new RotationStatus(secret.name(),
                described.withStage(SecretVersions.CURRENT).map(SecretVersion::versionId).orElse(null),
                pending.map(SecretVersion::versionId).orElse(null),
                pending.map(SecretVersion::createdAt).orElse(null),
                pending.filter(p -> secret.finishedByAdmin()).map(this::finishBy).orElse(null));
    }

    /** Whether {@code name} is a secret this rotation knows. */
    public boolean knows(String name) {
        return secrets.stream().anyMatch(secret -> secret.isNamedBy(name));
    }

    private StepOutcome create(String secretId, RotatedSecret secret, SecretDescription described, String token) {
        String currentId = described.withStage(SecretVersions.CURRENT).map(SecretVersion::versionId)
                .orElseThrow(() -> new RotationFailure(secret.name() + ": has no AWSCURRENT version"));
        if (versions.valueOf(secretId, currentId).isEmpty()) {
            throw new RotationFailure(secret.name() + ": the AWSCURRENT version has no value");
        }
        if (versions.valueOf(secretId, token).isPresent()) {
            return new StepOutcome.AlreadyDone(RotationStep.CREATE_SECRET, "version " + token + " already has a value");
        }
        versions.putPending(secretId, token, secret.generate());
        return new StepOutcome.Done(RotationStep.CREATE_SECRET, "new value stored as AWSPENDING");
    }

    private void test(RotatedSecret secret, String value) {
        secret.problemWith(value).or(() -> secret.notAccepted(value)).ifPresent(problem -> {
            throw new RotationFailure(secret.name() + ": testSecret failed: " + problem);
        });
    }

    private StepOutcome finishVersion(String secretId, RotatedSecret secret, SecretDescription described, String token) {
        Optional<SecretVersion> current = described.withStage(SecretVersions.CURRENT);
        if (current.isPresent() && current.get().versionId().equals(token)) {
            return new StepOutcome.AlreadyDone(RotationStep.FINISH_SECRET, "version " + token + " is already AWSCURRENT");
        }
        Optional<String> oldValue = current.flatMap(version -> versions.valueOf(secretId, version.versionId()));
        versions.moveStage(secretId, SecretVersions.CURRENT, token, current.map(SecretVersion::versionId).orElse(null));
        // Outside a Secrets Manager rotation (an admin's finish) nobody else takes AWSPENDING off; inside one,
        // Secrets Manager would, and removing a label that is gone is a no-op.
        versions.removeStage(secretId, SecretVersions.PENDING, token);
        oldValue.ifPresent(secret::retire);
        LOG.log(System.Logger.Level.INFO, secret.name() + ": version " + token + " is now AWSCURRENT");
        return new StepOutcome.Done(RotationStep.FINISH_SECRET, "AWSCURRENT moved to version " + token);
    }

    private String pendingValue(String secretId, RotatedSecret secret, String token) {
        return versions.valueOf(secretId, token).orElseThrow(() -> new RotationFailure(
                secret.name() + ": version " + token + " has no value; createSecret has not run"));
    }

    private boolean overdue(SecretVersion pending, Instant now) {
        return pending.createdAt() != null && !now.isBefore(pending.createdAt().plus(grace));
    }

    private Instant finishBy(SecretVersion pending) {
        return pending.createdAt() == null ? null : pending.createdAt().plus(grace);
    }

    private static Optional<SecretVersion> pendingNotCurrent(SecretDescription described) {
        return described.withStage(SecretVersions.PENDING)
                .filter(version -> !version.stages().contains(SecretVersions.CURRENT));
    }

    private SecretDescription describe(String secretId, RotatedSecret secret) {
        return versions.describe(secretId).orElseThrow(() -> new RotationFailure(secret.name() + ": no such secret"));
    }

    private RotatedSecret secretNamedBy(String secretId) {
        Objects.requireNonNull(secretId, "secretId");
        return secrets.stream().filter(secret -> secret.isNamedBy(secretId)).findFirst()
                .orElseThrow(() -> new RotationFailure("secret " + secretId + " is not one the rotator knows"));
    }
}
