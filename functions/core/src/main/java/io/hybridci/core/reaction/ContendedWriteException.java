package io.hybridci.core.reaction;

/**
 * A conditional write kept losing its race: every re-read found the item changed again. Thrown so
 * that the stream record fails and is retried later (by then the other writers are done), rather
 * than deciding from state that is known to be stale.
 */
public final class ContendedWriteException extends RuntimeException {

    public ContendedWriteException(String message) {
        super(message);
    }
}
