package io.hybridci.core.metrics;

import io.hybridci.core.build.Build;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.reaction.JobChange;
import io.hybridci.core.reaction.Reaction;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which {@link EmbeddedMetrics} lines one state-reactor call has to print: the state-reactor sees
 * every job change, so it is the one place where a finished job and a dispatched bootstrap job are
 * both observed without another read path. Pure: the handler prints what this returns.
 *
 * <p>Delivery: a re-delivered stream record of a job that entered a terminal state prints its
 * {@code jobFinished} line again (the stream is at-least-once and the line is derived from the record
 * alone); that is rare and only nudges a count. {@code WebhookToQueued} comes from what <em>this</em>
 * call dispatched ({@link Reaction#dispatchedJobIds()}), so a re-delivery, which dispatches nothing,
 * never repeats it.
 */
public final class ReactionMetrics {

    private ReactionMetrics() {
    }

    /**
     * @param change the stream record the reactor reacted to
     * @param reaction what the reactor did for it
     * @param buildOf the build by id (one read, only for a dispatched bootstrap job)
     * @param now when the reaction finished: the dispatch just happened
     */
    public static List<String> linesFor(JobChange change, Reaction reaction, Function<String, Optional<Build>> buildOf,
                                        Instant now) {
        List<String> lines = new ArrayList<>(2);
        if (change.enteredTerminalState()) {
            EmbeddedMetrics.jobFinished(change.after()).ifPresent(lines::add);
        }
        Job after = change.after();
        // Only the first attempt: a retried bootstrap job is queued by a person or a retry rule, long after the
        // webhook, and would read as webhook latency.
        if (after != null && after.kind() == JobKind.BOOTSTRAP && after.attempt() == 1
                && reaction.dispatchedJobIds().contains(after.id())) {
            // The build is created when the webhook is accepted, so its createdAt is the webhook's time.
            buildOf.apply(after.buildId()).ifPresent(build -> lines.add(EmbeddedMetrics.webhookToQueued(
                    after.queue(), Duration.between(build.createdAt(), now), now, build.id())));
        }
        return List.copyOf(lines);
    }
}
