package io.hybridci.core.updates;

import io.hybridci.core.agent.Agent;
import io.hybridci.core.agent.AgentEvent;
import io.hybridci.core.agent.AgentTransitions;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobTransitions;
import io.hybridci.core.port.AgentRepository;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.WriteResult;
import io.hybridci.core.statemachine.RejectionReason;
import io.hybridci.core.statemachine.Transition;

import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Applies an event to an entity and persists the result with a conditional write on the version
 * that was read; a lost race re-decides from what is stored now (the conflict carries it, so no
 * extra read). The event is chosen again from each fresh value, because which event applies can
 * depend on the state (a {@code finished} confirms a cancel when the job is CANCELING).
 *
 * <p>Used by the job-updater and the reaper; any use case that moves one item can use it.
 */
public final class ConditionalWrites {

    /**
     * How many times one decision is retried against a moving item. Writers of one job are few
     * (its agent's messages are serialized by the FIFO group; the api and the reaper rarely touch
     * it at the same moment), so five lost races in a row means something is wrong: give up and
     * let the message or the next reaper run try again.
     */
    public static final int MAX_ATTEMPTS = 5;

    private ConditionalWrites() {
    }

    /** The outcome of {@link #apply}. */
    public sealed interface Result<T> {
        /** The event moved the entity and the write succeeded; {@code value} is what is stored now. */
        record Written<T>(T value) implements Result<T> {}

        /** The state machine refused the event for {@code current}; nothing was written. */
        record Refused<T>(T current, RejectionReason reason, String message) implements Result<T> {
            /** An at-least-once re-delivery of something already applied. */
            public boolean alreadyApplied() {
                return reason == RejectionReason.ALREADY_APPLIED;
            }
        }

        /** The item does not exist (any more). */
        record Missing<T>() implements Result<T> {}

        /** Every attempt lost its race; {@code last} is the newest value seen. */
        record GaveUp<T>(T last) implements Result<T> {}
    }

    /** Applies the event {@code eventFor} picks for the current job, conditionally on its version. */
    public static Result<Job> job(JobRepository jobs, Job current, Function<Job, JobEvent> eventFor) {
        return apply(current, Job::id, jobs::find, job -> JobTransitions.apply(job, eventFor.apply(job)),
                (next, before) -> jobs.update(next, before.version()));
    }

    /** Applies the event {@code eventFor} picks for the current agent, conditionally on its version. */
    public static Result<Agent> agent(AgentRepository agents, Agent current, Function<Agent, AgentEvent> eventFor) {
        return apply(current, Agent::id, agents::find, agent -> AgentTransitions.apply(agent, eventFor.apply(agent)),
                (next, before) -> agents.update(next, before.version()));
    }

    private static <T> Result<T> apply(T initial, Function<T, String> idOf, Function<String, Optional<T>> find,
                                       Function<T, Transition<T>> decide, BiFunction<T, T, WriteResult<T>> write) {
        Objects.requireNonNull(initial, "initial");
        T current = initial;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            switch (decide.apply(current)) {
                case Transition.Rejected<T> rejected -> {
                    return new Result.Refused<>(current, rejected.reason(), rejected.message());
                }
                case Transition.Moved<T> moved -> {
                    switch (write.apply(moved.next(), current)) {
                        case WriteResult.Written<T> written -> {
                            return new Result.Written<>(written.value());
                        }
                        case WriteResult.Conflict<T> conflict -> {
                            // An adapter that cannot return the stored item on a failed condition
                            // (dynalite lacks ReturnValuesOnConditionCheckFailure) leaves it empty: read it.
                            Optional<T> stored = conflict.current().isPresent()
                                    ? conflict.current() : find.apply(idOf.apply(current));
                            if (stored.isEmpty()) {
                                return new Result.Missing<>();
                            }
                            current = stored.get();
                        }
                    }
                }
            }
        }
        return new Result.GaveUp<>(current);
    }
}
