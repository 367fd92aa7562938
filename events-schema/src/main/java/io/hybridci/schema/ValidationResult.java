package io.hybridci.schema;

import java.util.List;

/**
 * The outcome of validating one payload.
 *
 * @param valid  true when the payload conforms to the schema
 * @param errors one line per problem, each starting with the JSON path it concerns
 *               (e.g. {@code $.repository.fullName: does not match ...}); empty when valid
 */
public record ValidationResult(boolean valid, List<String> errors) {

    private static final ValidationResult VALID = new ValidationResult(true, List.of());

    public ValidationResult {
        errors = List.copyOf(errors);
        if (valid != errors.isEmpty()) {
            throw new IllegalArgumentException("A result is valid exactly when it has no errors");
        }
    }

    static ValidationResult ok() {
        return VALID;
    }

    static ValidationResult invalid(List<String> errors) {
        return new ValidationResult(false, errors);
    }
}
