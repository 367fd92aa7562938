package io.hybridci.core.port;

import java.util.Optional;

/**
 * Outcome of a conditional write. A lost race is a value, not an exception: the caller
 * decides whether to re-read and retry, or to treat the write as already done.
 */
public sealed interface WriteResult<T> {
    /** The write happened; {@code value} is what is stored now. */
    record Written<T>(T value) implements WriteResult<T> {}

    /** The condition failed; {@code current} is what is stored (empty if the item is gone). */
    record Conflict<T>(Optional<T> current) implements WriteResult<T> {}

    default boolean written() {
        return this instanceof Written<T>;
    }
}
