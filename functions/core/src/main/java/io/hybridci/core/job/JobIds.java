package io.hybridci.core.job;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * Deterministic job ids. A re-delivered "Pipeline Uploaded" event or a re-processed stream record
 * computes the same id, so the conditional put ({@code attribute_not_exists}) makes job creation
 * idempotent without a dedup table.
 */
public final class JobIds {

    private JobIds() {
    }

    /** The name-based (type 3) UUID of {@code buildId}, {@code key} and {@code attempt}. */
    public static String of(String buildId, String key, int attempt) {
        Objects.requireNonNull(buildId, "buildId");
        Objects.requireNonNull(key, "key");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt is 1-based, was " + attempt);
        }
        // NUL separators: no build id or key contains one, so ("a","bc") and ("ab","c") differ.
        String name = "job\u0000" + buildId + "\u0000" + key + "\u0000" + attempt;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
