package io.hybridci.core.pipeline;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** What {@link PipelineParser#parse(String)} found: a valid pipeline, or every error in it. */
public sealed interface ParseResult permits ParseResult.Parsed, ParseResult.Invalid {

    /** The file was valid. */
    record Parsed(Pipeline pipeline) implements ParseResult {
        public Parsed {
            Objects.requireNonNull(pipeline, "pipeline");
        }
    }

    /**
     * The file was not valid; {@code errors} lists every problem found, in file order,
     * never empty.
     */
    record Invalid(List<PipelineError> errors) implements ParseResult {
        public Invalid {
            errors = List.copyOf(errors);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("an invalid pipeline has at least one error");
            }
        }

        /** The errors one per line, as the bootstrap job prints them in its log. */
        public String report() {
            return errors.stream().map(PipelineError::toString).collect(Collectors.joining("\n"));
        }
    }
}
