package io.hybridci.core.port.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.port.SecretVersions;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SecretVersions} must do, with Secrets Manager's label rules. Subclasses give a store
 * holding a fresh secret {@link #secretId()} whose version {@link #FIRST_VERSION} is AWSCURRENT with
 * value {@link #FIRST_VALUE}.
 */
public abstract class SecretVersionsContract {

    protected static final String FIRST_VERSION = "00000000-0000-4000-8000-000000000001";
    protected static final String FIRST_VALUE = "first-value-0123456789abcdef0123456789";
    private static final String SECOND = "00000000-0000-4000-8000-000000000002";
    private static final String THIRD = "00000000-0000-4000-8000-000000000003";

    /** A store with the fresh secret {@link #secretId()} created. */
    protected abstract SecretVersions newStoreWithSecret();

    protected abstract String secretId();

    private SecretVersions store;

    @BeforeEach
    void setUpStore() {
        store = newStoreWithSecret();
    }

    private Set<String> stagesOf(String versionId) {
        return store.describe(secretId()).orElseThrow().version(versionId).orElseThrow().stages();
    }

    @Test
    void shouldDescribeTheFirstVersionAsCurrent_whenTheSecretIsNew() {
        assertEquals(Set.of(SecretVersions.CURRENT), stagesOf(FIRST_VERSION));
        assertEquals(Optional.of(FIRST_VALUE), store.valueOf(secretId(), FIRST_VERSION));
    }

    @Test
    void shouldKeepOneValue_whenThePendingVersionIsPutTwice() {
        store.putPending(secretId(), SECOND, "second-value-0123456789abcdef0123");
        store.putPending(secretId(), SECOND, "second-value-0123456789abcdef0123");

        assertEquals(Optional.of("second-value-0123456789abcdef0123"), store.valueOf(secretId(), SECOND));
        assertEquals(Set.of(SecretVersions.PENDING), stagesOf(SECOND));
    }

    @Test
    void shouldRefuse_whenAnExistingVersionIsPutWithAnotherValue() {
        store.putPending(secretId(), SECOND, "second-value-0123456789abcdef0123");

        assertThrows(RuntimeException.class, () -> store.putPending(secretId(), SECOND, "another-value-0123456789abcdef01"));
        assertEquals(Optional.of("second-value-0123456789abcdef0123"), store.valueOf(secretId(), SECOND));
    }

    @Test
    void shouldLeavePreviousOnTheOldVersion_whenCurrentMoves() {
        store.putPending(secretId(), SECOND, "second-value-0123456789abcdef0123");

        store.moveStage(secretId(), SecretVersions.CURRENT, SECOND, FIRST_VERSION);
        store.removeStage(secretId(), SecretVersions.PENDING, SECOND);

        assertEquals(Set.of(SecretVersions.CURRENT), stagesOf(SECOND));
        assertEquals(Set.of(SecretVersions.PREVIOUS), stagesOf(FIRST_VERSION));
    }

    @Test
    void shouldMovePreviousAlong_whenRotatedTwice() {
        store.putPending(secretId(), SECOND, "second-value-0123456789abcdef0123");
        store.moveStage(secretId(), SecretVersions.CURRENT, SECOND, FIRST_VERSION);
        store.putPending(secretId(), THIRD, "third-value-0123456789abcdef01234");
        store.moveStage(secretId(), SecretVersions.CURRENT, THIRD, SECOND);

        assertTrue(stagesOf(SECOND).contains(SecretVersions.PREVIOUS));
        assertTrue(!stagesOf(FIRST_VERSION).contains(SecretVersions.PREVIOUS), "AWSPREVIOUS is on one version only");
        assertEquals(Optional.of(THIRD), store.describe(secretId()).orElseThrow()
                .withStage(SecretVersions.CURRENT).map(SecretVersions.SecretVersion::versionId));
    }

    @Test
    void shouldDescribeNothing_whenTheSecretDoesNotExist() {
        assertEquals(Optional.empty(), store.describe(secretId() + "-missing"));
    }
}
