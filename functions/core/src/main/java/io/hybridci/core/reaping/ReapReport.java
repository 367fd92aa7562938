package io.hybridci.core.reaping;

import java.util.List;

/**
 * What one reaper run changed. Counts only writes made by this run: a second run over the same
 * data reports zeros (the reaper is idempotent).
 *
 * @param agentsLost live agents marked LOST
 * @param jobsOfLostAgents their jobs ended (FAILED agent_lost; CANCELED / TIMED_OUT when already stopping)
 * @param jobsTimingOut RUNNING jobs past their timeout, now TIMING_OUT
 * @param jobsTimedOut TIMING_OUT jobs whose agent never confirmed, now TIMED_OUT
 * @param jobsRedispatched QUEUED jobs never dispatched, or dispatched too long ago, sent to their queue again
 * @param jobsExpired QUEUED jobs past the queue limit, now EXPIRED
 * @param failures one line per item that could not be handled (the next run tries again)
 */
public record ReapReport(int agentsLost, int jobsOfLostAgents, int jobsTimingOut, int jobsTimedOut,
                         int jobsRedispatched, int jobsExpired, List<String> failures) {

    public ReapReport {
        failures = List.copyOf(failures);
    }

    /** Whether the run changed anything. */
    public boolean changedAnything() {
        return agentsLost + jobsOfLostAgents + jobsTimingOut + jobsTimedOut + jobsRedispatched + jobsExpired > 0;
    }
}
