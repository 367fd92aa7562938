package io.hybridci.core.job;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JobIdsTest {

    @Test
    void shouldGiveTheSameId_whenTheSameStepAttemptIsCreatedTwice() {
        assertEquals(JobIds.of("b1", "test", 1), JobIds.of("b1", "test", 1));
    }

    @Test
    void shouldGiveDistinctIds_whenBuildKeyOrAttemptDiffer() {
        String id = JobIds.of("b1", "test", 1);

        assertNotEquals(id, JobIds.of("b2", "test", 1));
        assertNotEquals(id, JobIds.of("b1", "lint", 1));
        assertNotEquals(id, JobIds.of("b1", "test", 2));
        assertNotEquals(JobIds.of("ab", "c", 1), JobIds.of("a", "bc", 1));
    }

    @Test
    void shouldBeAUuid_whenFormatted() {
        String id = JobIds.of("b1", "test", 1);

        assertEquals(id, UUID.fromString(id).toString());
    }

    @Test
    void shouldRefuse_whenAttemptIsNotOneBased() {
        assertThrows(IllegalArgumentException.class, () -> JobIds.of("b1", "test", 0));
    }
}
