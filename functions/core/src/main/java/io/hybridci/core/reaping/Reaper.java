package io.hybridci.core.reaping;

import io.hybridci.core.agent.Agent;
import io.hybridci.core.agent.AgentEvent;
import io.hybridci.core.agent.AgentLiveness;
import io.hybridci.core.agent.AgentState;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.PriorityBand;
import io.hybridci.core.port.AgentRepository;
import io.hybridci.core.port.JobDispatcher;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.reaction.ReactionMessages;
import io.hybridci.core.statemachine.Actors;
import io.hybridci.core.updates.ConditionalWrites;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The reaper's use case, run every minute (docs/functions.md): it notices what nobody reported.
 * <ul>
 *   <li>live agents silent longer than {@link ReaperSettings#agentSilence()} → LOST, and every job
 *       an agent that is no longer live still holds → {@code AgentLost} (FAILED, exit −1,
 *       {@code agent_lost}; the state-reactor then retries it by the job's rules, not the reaper);</li>
 *   <li>RUNNING past {@code timeoutInMinutes} → TIMING_OUT (the agent gets a cancel directive);</li>
 *   <li>TIMING_OUT longer than {@link ReaperSettings#timingOutGrace()} → TIMED_OUT;</li>
 *   <li>QUEUED longer than {@link ReaperSettings#queueLimit()} → EXPIRED;</li>
 *   <li>QUEUED without {@code dispatchedAt} longer than {@link ReaperSettings#stuckDispatch()} → sent again;</li>
 *   <li>QUEUED with a {@code dispatchedAt} older than {@link #RESEND_DISPATCH_AFTER} → sent again: its message may
 *       have gone to the queue's DLQ (every receive counts, and agents that are busy or die hand it back) and
 *       nothing else would ever send it.</li>
 * </ul>
 * Every change is a conditional write through the state machines, so a run racing the api or the
 * job-updater loses cleanly, and a second run over the same data changes nothing. The jobs are
 * judged from the agents' stored state, not from what this run marked: a run that crashed after
 * marking an agent LOST still fails its jobs on the next run.
 */
public final class Reaper {

    /** The actor every change of the reaper is recorded under. */
    public static final String ACTOR = Actors.system("reaper");

    private static final System.Logger LOG = System.getLogger(Reaper.class.getName());

    /**
     * How long a dispatched job may stay QUEUED before its dispatch is sent again. A job queue's message moves to
     * the DLQ after 5 receives (topology: maxReceiveCount), and an agent that puts a message back because it
     * still holds its previous job, or dies holding it, uses up a receive: found by {@code ./hybridci chaos},
     * where a build waited QUEUED with its only dispatch in {@code jobs-default-dlq}. Ten minutes is well past
     * 5 receives at the 30 s visibility timeout, so a healthy queue rarely sees a second copy; a copy that
     * does arrive costs one receive and one 409 on {@code accept} (the job is no longer QUEUED).
     */
    public static final Duration RESEND_DISPATCH_AFTER = Duration.ofMinutes(10);

    private final JobRepository jobs;
    private final AgentRepository agents;
    private final JobDispatcher dispatcher;
    private final ReaperSettings settings;
    private final Clock clock;

    public Reaper(JobRepository jobs, AgentRepository agents, JobDispatcher dispatcher, ReaperSettings settings,
                  Clock clock) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.agents = Objects.requireNonNull(agents, "agents");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** One sweep. Never throws for one bad item: it is counted in {@link ReapReport#failures()}. */
    public ReapReport reap() {
        Instant now = clock.instant();
        Tally tally = new Tally();
        Map<String, Optional<Agent>> agentsById = new HashMap<>();
        for (Agent agent : agents.liveAgents()) {
            agentsById.put(agent.id(), Optional.of(markLostIfSilent(agent, now, tally)));
        }
        for (Job job : jobs.activeJobs()) {
            try {
                reapJob(job, now, agentsById, tally);
            } catch (RuntimeException failure) {
                tally.failed("job " + job.id() + ": " + failure);
                LOG.log(System.Logger.Level.WARNING, "reaper could not handle job " + job.id(), failure);
            }
        }
        return tally.report();
    }

    private Agent markLostIfSilent(Agent agent, Instant now, Tally tally) {
        if (!AgentLiveness.isLost(agent, now, settings.agentSilence())) {
            return agent;
        }
        try {
            return switch (ConditionalWrites.agent(agents, agent, current -> new AgentEvent.MarkLost(now, ACTOR))) {
                case ConditionalWrites.Result.Written<Agent> written -> {
                    tally.agentsLost++;
                    yield written.value();
                }
                // A ping won the race (Ping on a LOST agent is refused, so the reverse cannot happen).
                case ConditionalWrites.Result.Refused<Agent> refused -> refused.current();
                case ConditionalWrites.Result.Missing<Agent> _ -> agent;
                case ConditionalWrites.Result.GaveUp<Agent> gaveUp -> {
                    tally.failed("agent " + agent.id() + ": lost every write race");
                    yield gaveUp.last();
                }
            };
        } catch (RuntimeException failure) {
            tally.failed("agent " + agent.id() + ": " + failure);
            LOG.log(System.Logger.Level.WARNING, "reaper could not mark agent " + agent.id() + " lost", failure);
            return agent;
        }
    }

    private void reapJob(Job job, Instant now, Map<String, Optional<Agent>> agentsById, Tally tally) {
        switch (job.state()) {
            case ASSIGNED, RUNNING, CANCELING, TIMING_OUT -> {
                if (holderIsGone(job, agentsById)) {
                    write(job, current -> new JobEvent.AgentLost(job.agentId(), now, ACTOR), tally,
                            () -> tally.jobsOfLostAgents++);
                } else if (job.state() == JobState.RUNNING && pastTimeout(job, now)) {
                    write(job, current -> new JobEvent.TimeOut(now, ACTOR), tally, () -> tally.jobsTimingOut++);
                } else if (job.state() == JobState.TIMING_OUT && now.isAfter(job.updatedAt().plus(settings.timingOutGrace()))) {
                    // updatedAt is when TimeOut was applied: nothing else writes a TIMING_OUT job but its end.
                    write(job, current -> new JobEvent.ConfirmTimedOut(null, null, now, ACTOR), tally,
                            () -> tally.jobsTimedOut++);
                }
            }
            case QUEUED -> {
                Instant queuedSince = job.queuedAt() != null ? job.queuedAt() : job.createdAt();
                if (now.isAfter(queuedSince.plus(settings.queueLimit()))) {
                    write(job, current -> new JobEvent.Expire(now, ACTOR), tally, () -> tally.jobsExpired++);
                } else if (job.dispatchedAt() == null && now.isAfter(queuedSince.plus(settings.stuckDispatch()))) {
                    redispatch(job, now, tally);
                } else if (job.dispatchedAt() != null && now.isAfter(job.dispatchedAt().plus(RESEND_DISPATCH_AFTER))) {
                    redispatch(job, now, tally);
                }
            }
            // activeJobs() returns none of these; a stale adapter might, and they need nothing.
            case PENDING, BLOCKED, PASSED, FAILED, CANCELED, TIMED_OUT, EXPIRED, SKIPPED -> {
            }
        }
    }

    /**
     * Sends first, then records {@code dispatchedAt}, as the state-reactor does: a crash in between
     * sends twice, which is harmless (the second copy loses {@code accept} with 409), while the other
     * order could record a dispatch that never happened and leave the job stranded.
     */
    private void redispatch(Job job, Instant now, Tally tally) {
        dispatcher.dispatch(job.queue(), PriorityBand.of(job.priority()), ReactionMessages.jobDispatch(job, now));
        write(job, current -> new JobEvent.Dispatch(now, ACTOR), tally, () -> tally.jobsRedispatched++);
    }

    /** Whether the agent holding {@code job} is no longer heart-beating (LOST, DISCONNECTED or unknown). */
    private boolean holderIsGone(Job job, Map<String, Optional<Agent>> agentsById) {
        if (job.agentId() == null) {
            return false;
        }
        Optional<Agent> holder = agentsById.computeIfAbsent(job.agentId(), agents::find);
        return holder.map(agent -> agent.state() == AgentState.LOST || agent.state() == AgentState.DISCONNECTED)
                .orElse(true);
    }

    private static boolean pastTimeout(Job job, Instant now) {
        if (job.timeoutInMinutes() == null) {
            return false;
        }
        Instant started = job.startedAt() != null ? job.startedAt() : job.assignedAt();
        return started != null && now.isAfter(started.plus(Duration.ofMinutes(job.timeoutInMinutes())));
    }

    private void write(Job job, Function<Job, JobEvent> eventFor, Tally tally, Runnable onWritten) {
        switch (ConditionalWrites.job(jobs, job, eventFor)) {
            case ConditionalWrites.Result.Written<Job> _ -> onWritten.run();
            // Someone else moved the job first (it finished, was accepted, canceled): their news is newer.
            case ConditionalWrites.Result.Refused<Job> refused -> LOG.log(System.Logger.Level.DEBUG,
                    "reaper left job " + job.id() + ": " + refused.reason() + ": " + refused.message());
            case ConditionalWrites.Result.Missing<Job> _ -> {
            }
            case ConditionalWrites.Result.GaveUp<Job> _ -> tally.failed("job " + job.id() + ": lost every write race");
        }
    }

    /** Counters of one run. */
    private static final class Tally {
        int agentsLost;
        int jobsOfLostAgents;
        int jobsTimingOut;
        int jobsTimedOut;
        int jobsRedispatched;
        int jobsExpired;
        final List<String> failures = new ArrayList<>();

        void failed(String what) {
            failures.add(what);
        }

        ReapReport report() {
            return new ReapReport(agentsLost, jobsOfLostAgents, jobsTimingOut, jobsTimedOut, jobsRedispatched,
                    jobsExpired, failures);
        }
    }
}
