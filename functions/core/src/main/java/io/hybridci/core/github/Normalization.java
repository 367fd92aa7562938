package io.hybridci.core.github;

import java.util.List;
import java.util.Objects;

/** What {@link GithubNormalizer} made of a webhook payload: a normalized event, or the fields it lacks. */
public sealed interface Normalization permits Normalization.Normalized, Normalization.MissingFields {

    /** The payload had everything the normalized event needs. */
    record Normalized(GithubEvent event) implements Normalization {
        public Normalized {
            Objects.requireNonNull(event, "event");
        }
    }

    /**
     * Required fields were absent or of the wrong type.
     *
     * @param fields GitHub's own paths of those fields (e.g. {@code repository.clone_url}), in payload order, never empty
     */
    record MissingFields(List<String> fields) implements Normalization {
        public MissingFields {
            fields = List.copyOf(fields);
            if (fields.isEmpty()) {
                throw new IllegalArgumentException("an invalid payload lacks at least one field");
            }
        }

        /** One sentence for the person who sent the payload. */
        public String message() {
            return "missing or invalid fields: " + String.join(", ", fields);
        }
    }
}
