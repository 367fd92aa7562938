package io.hybridci.core.statemachine;

import java.util.Objects;
import java.util.function.Function;

/**
 * The result of applying an event to an entity: either the entity's next value or a typed
 * rejection.
 *
 * <p>Rejections are values, never exceptions: a handler processing a batch of SQS messages or
 * stream records decides per item what a rejection means (an {@link RejectionReason#ALREADY_APPLIED}
 * re-delivery is a success, a stale event is dropped) instead of one illegal event failing the
 * whole batch.
 *
 * @param <T> the entity type (a job, an agent, a deployment, a build)
 */
public sealed interface Transition<T> {

    /** The event was applied; {@code next} carries the new state, version + 1 and the actor. */
    record Moved<T>(T next) implements Transition<T> {
        public Moved {
            Objects.requireNonNull(next, "next");
        }
    }

    /** The event was not applied; the entity is unchanged. */
    record Rejected<T>(RejectionReason reason, String message) implements Transition<T> {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        /** Re-types a rejection, for results that pass a rejection through unchanged. */
        public <U> Rejected<U> cast() {
            return new Rejected<>(reason, message);
        }
    }

    static <T> Transition<T> moved(T next) {
        return new Moved<>(next);
    }

    static <T> Transition<T> rejected(RejectionReason reason, String message) {
        return new Rejected<>(reason, message);
    }

    /** Whether the event was applied. */
    default boolean isMoved() {
        return this instanceof Moved<T>;
    }

    /**
     * Whether the caller may treat this result as success: the event was applied now, or it had
     * already been applied (an at-least-once re-delivery).
     */
    default boolean isSuccessOrDuplicate() {
        return switch (this) {
            case Moved<T> _ -> true;
            case Rejected<T> rejected -> rejected.reason() == RejectionReason.ALREADY_APPLIED;
        };
    }

    /** Transforms the moved value, passing a rejection through. */
    default <U> Transition<U> map(Function<? super T, ? extends U> mapper) {
        return switch (this) {
            case Moved<T> moved -> new Moved<>(mapper.apply(moved.next()));
            case Rejected<T> rejected -> rejected.cast();
        };
    }

    /**
     * The next value, for code paths (tests, planners building a fresh entity) where a rejection
     * is a programming error.
     *
     * @throws IllegalStateException when the transition was rejected
     */
    default T orElseThrow() {
        return switch (this) {
            case Moved<T> moved -> moved.next();
            case Rejected<T> rejected -> throw new IllegalStateException(
                    "transition rejected: " + rejected.reason() + ": " + rejected.message());
        };
    }
}
