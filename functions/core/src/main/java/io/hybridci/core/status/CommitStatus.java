package io.hybridci.core.status;

import java.util.Objects;

/**
 * One commit status, as GitHub stores it: the latest status per {@code context} is what a pull
 * request shows, so re-sending the same status is harmless (that is what makes retries safe).
 *
 * @param state       pending, success, failure or error
 * @param targetUrl   the build page, or null when no dashboard URL is configured
 * @param description at most {@value #MAX_DESCRIPTION} characters (GitHub rejects longer ones with 422)
 * @param context     the label that tells this CI's status apart from others, e.g. {@code hybridci}
 */
public record CommitStatus(CommitState state, String targetUrl, String description, String context) {

    /** GitHub's limit on {@code description}. */
    public static final int MAX_DESCRIPTION = 140;

    public CommitStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(context, "context");
        if (description.length() > MAX_DESCRIPTION) {
            // Cut on a code point boundary: a lone surrogate would make the JSON body invalid.
            int end = description.offsetByCodePoints(0, description.codePointCount(0, MAX_DESCRIPTION - 1));
            description = description.substring(0, end) + "…";
        }
    }
}
