package io.hybridci.core.port;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One concurrency group as stored (docs/deployments.md): the jobs holding its slots and the jobs waiting
 * for one, oldest first. The decisions are pure functions of this value, so every {@link ConcurrencySlots}
 * adapter takes them the same way and only differs in how it writes the result (conditionally on
 * {@code version}).
 *
 * <p>Both operations are idempotent, because the state-reactor runs on at-least-once stream records:
 * a holder that asks again keeps its one slot, a waiter that asks again keeps its place, and releasing
 * a job that holds nothing changes nothing.
 *
 * @param name the {@code concurrency_group}
 * @param holders ids of the jobs holding a slot, in the order they took it
 * @param waiters ids of the jobs waiting, oldest first; never also a holder
 * @param version optimistic-lock counter, 0 while the group has never been stored
 */
public record ConcurrencyGroup(String name, List<String> holders, List<String> waiters, long version) {

    public ConcurrencyGroup {
        Objects.requireNonNull(name, "name");
        holders = List.copyOf(new LinkedHashSet<>(holders));
        waiters = List.copyOf(new LinkedHashSet<>(waiters));
        if (version < 0) {
            throw new IllegalArgumentException("version is never negative, was " + version);
        }
    }

    /** A group nobody has used yet: no holder, no waiter, version 0. */
    public static ConcurrencyGroup empty(String name) {
        return new ConcurrencyGroup(name, List.of(), List.of(), 0);
    }

    /** Whether {@code jobId} holds a slot. */
    public boolean holds(String jobId) {
        return holders.contains(jobId);
    }

    /**
     * The group after {@code jobId} asked for a slot of a group limited to {@code limit}. It gets one when a
     * slot is free for it: fewer than {@code limit} holders, and not more waiters ahead of it than free slots
     * (waiters are served in order; a newcomer does not overtake them). Otherwise it joins the end of the
     * waiters, once. The same value (same version) comes back when nothing changed.
     */
    public ConcurrencyGroup acquire(String jobId, int limit) {
        Objects.requireNonNull(jobId, "jobId");
        if (limit < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + limit);
        }
        if (holds(jobId)) {
            return this;
        }
        int free = limit - holders.size();
        int ahead = waiters.contains(jobId) ? waiters.indexOf(jobId) : waiters.size();
        if (ahead < free) {
            List<String> nextHolders = new ArrayList<>(holders);
            nextHolders.add(jobId);
            return new ConcurrencyGroup(name, nextHolders, without(waiters, jobId), version + 1);
        }
        if (waiters.contains(jobId)) {
            return this;
        }
        List<String> nextWaiters = new ArrayList<>(waiters);
        nextWaiters.add(jobId);
        return new ConcurrencyGroup(name, holders, nextWaiters, version + 1);
    }

    /**
     * The group after {@code jobId} is done with it: its slot is freed, and a waiter that ends before it got
     * one (a canceled PENDING job) leaves the line. The same value comes back for a job it does not know.
     */
    public ConcurrencyGroup release(String jobId) {
        Objects.requireNonNull(jobId, "jobId");
        if (!holders.contains(jobId) && !waiters.contains(jobId)) {
            return this;
        }
        return new ConcurrencyGroup(name, without(holders, jobId), without(waiters, jobId), version + 1);
    }

    private static List<String> without(List<String> ids, String jobId) {
        return ids.stream().filter(id -> !id.equals(jobId)).toList();
    }
}
