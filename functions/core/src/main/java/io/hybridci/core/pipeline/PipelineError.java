package io.hybridci.core.pipeline;

import java.util.Objects;

/**
 * One problem found in a pipeline file, worded for the person who wrote it: the bootstrap
 * job prints {@link #toString()} in its log, one line per error.
 *
 * <p>The three forms of {@link #toString()}:
 * <ul>
 *   <li>in a step: {@code step "build" (steps[1]) field "depends_on": unknown step key "tset"}</li>
 *   <li>at the top level: {@code field "env": expected a mapping, found a list}</li>
 *   <li>in the document itself: {@code line 3, column 7: YAML syntax error: ...}</li>
 * </ul>
 * {@code steps[n]} is the 0-based position in the {@code steps:} list, as in a JSON path
 * ({@code yq '.steps[1]'}); the step name is its key, or the generated {@code step-<n>} (1-based).
 *
 * @param step the step's key (given or generated), or {@code null} for a top-level error
 * @param stepIndex the 0-based position in {@code steps:}, or -1 for a top-level error
 * @param field the field path inside the step or document (e.g. {@code retry.automatic[0].limit}),
 *              or {@code null} when the whole step or document is at fault
 * @param message what is wrong, and when possible how to fix it
 */
public record PipelineError(String step, int stepIndex, String field, String message) {

    public PipelineError {
        Objects.requireNonNull(message, "message");
    }

    /** An error about one field of a step. */
    public static PipelineError inStep(String step, int stepIndex, String field, String message) {
        return new PipelineError(Objects.requireNonNull(step, "step"), stepIndex, field, message);
    }

    /** An error about a top-level field ({@code steps}, {@code env}) or the document as a whole. */
    public static PipelineError topLevel(String field, String message) {
        return new PipelineError(null, -1, field, message);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        if (step != null) {
            text.append("step \"").append(step).append("\" (steps[").append(stepIndex).append("])");
        }
        if (field != null) {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append("field \"").append(field).append('"');
        }
        if (!text.isEmpty()) {
            text.append(": ");
        }
        return text.append(message).toString();
    }
}
