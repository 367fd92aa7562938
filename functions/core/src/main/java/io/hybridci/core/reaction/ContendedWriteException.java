package io.hybridci.core.reaction;

/**
 * A conditional write kept losing its race: every re-read found the item changed again. Thrown so
 * that the stream record fails and is retried later (by then the other writers are done), rather
 * than deciding from state that is known to be stale. The api answers it with 409 {@code contended}: the
 * caller may simply try again, and nothing was half applied (every write is a single conditional put).
 */
public final class ContendedWriteException extends RuntimeException {

    public ContendedWriteException(String message) {
        super(message);
    }
}
