package io.hybridci.core.port.contract;

import static io.hybridci.core.port.contract.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.port.ConcurrencyGroup;
import io.hybridci.core.port.ConcurrencySlots;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ConcurrencySlots} must do. */
public abstract class ConcurrencySlotsContract {

    protected abstract ConcurrencySlots newSlots();

    private ConcurrencySlots slots;
    private String group;

    @BeforeEach
    void setUpSlots() {
        slots = newSlots();
        group = Fixtures.uniqueId("deploy-production");
    }

    @Test
    void shouldGrantUpToTheLimitAndQueueTheRestInOrder_whenJobsAsk() {
        assertTrue(slots.acquire(group, 2, "job-a", T0).holds("job-a"));
        assertTrue(slots.acquire(group, 2, "job-b", T0).holds("job-b"));
        assertFalse(slots.acquire(group, 2, "job-c", T0).holds("job-c"));
        ConcurrencyGroup stored = slots.acquire(group, 2, "job-d", T0);

        assertEquals(List.of("job-a", "job-b"), stored.holders());
        assertEquals(List.of("job-c", "job-d"), stored.waiters());
        assertEquals(stored, slots.find(group));
    }

    @Test
    void shouldChangeNothing_whenHolderOrWaiterAsksAgain() {
        slots.acquire(group, 1, "job-a", T0);
        ConcurrencyGroup before = slots.acquire(group, 1, "job-b", T0);

        ConcurrencyGroup holderAgain = slots.acquire(group, 1, "job-a", T0.plusSeconds(1));
        ConcurrencyGroup waiterAgain = slots.acquire(group, 1, "job-b", T0.plusSeconds(1));

        assertEquals(before, holderAgain);
        assertEquals(before, waiterAgain);
        assertEquals(List.of("job-a"), slots.find(group).holders());
        assertEquals(List.of("job-b"), slots.find(group).waiters());
    }

    @Test
    void shouldServeTheOldestWaiterFirst_whenASlotIsFreed() {
        slots.acquire(group, 1, "job-a", T0);
        slots.acquire(group, 1, "job-b", T0);
        slots.acquire(group, 1, "job-c", T0);

        ConcurrencyGroup released = slots.release(group, "job-a", T0.plusSeconds(1));
        boolean newcomerGranted = slots.acquire(group, 1, "job-c", T0.plusSeconds(2)).holds("job-c");
        boolean oldestGranted = slots.acquire(group, 1, "job-b", T0.plusSeconds(2)).holds("job-b");

        assertEquals(List.of(), released.holders());
        assertEquals(List.of("job-b", "job-c"), released.waiters());
        assertFalse(newcomerGranted, "job-c must not overtake job-b");
        assertTrue(oldestGranted);
        assertEquals(List.of("job-c"), slots.find(group).waiters());
    }

    @Test
    void shouldChangeNothing_whenJobReleasesASlotItDoesNotHold() {
        slots.acquire(group, 1, "job-a", T0);
        slots.release(group, "job-a", T0.plusSeconds(1));
        ConcurrencyGroup afterFirstRelease = slots.acquire(group, 1, "job-b", T0.plusSeconds(2));

        ConcurrencyGroup afterSecondRelease = slots.release(group, "job-a", T0.plusSeconds(3));

        assertEquals(afterFirstRelease, afterSecondRelease);
        assertEquals(List.of("job-b"), afterSecondRelease.holders());
    }

    @Test
    void shouldDropAWaiter_whenItIsReleasedBeforeGettingASlot() {
        slots.acquire(group, 1, "job-a", T0);
        slots.acquire(group, 1, "job-b", T0);
        slots.acquire(group, 1, "job-c", T0);

        ConcurrencyGroup stored = slots.release(group, "job-b", T0.plusSeconds(1));

        assertEquals(List.of("job-a"), stored.holders());
        assertEquals(List.of("job-c"), stored.waiters());
    }

    @Test
    void shouldFindAnEmptyGroup_whenNobodyUsedIt() {
        ConcurrencyGroup stored = slots.find(group);

        assertEquals(ConcurrencyGroup.empty(group), stored);
        assertEquals(ConcurrencyGroup.empty(group), slots.release(group, "job-x", T0));
    }

    @Test
    void shouldKeepGroupsApart_whenTwoGroupsAreUsed() {
        String other = Fixtures.uniqueId("deploy-staging");
        slots.acquire(group, 1, "job-a", T0);

        assertTrue(slots.acquire(other, 1, "job-b", T0).holds("job-b"));
        assertEquals(List.of("job-a"), slots.find(group).holders());
    }
}
