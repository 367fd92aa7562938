package io.hybridci.core.intake;

import java.util.List;

/**
 * Checks a normalized detail against its events-schema before it is published. Core does not
 * depend on events-schema (it stays a pure domain), so the handler passes the schema validator in.
 */
@FunctionalInterface
public interface DetailValidator {

    /** Accepts everything; for tests that are not about the schema. */
    DetailValidator ACCEPT_ALL = (schemaName, detailJson) -> List.of();

    /**
     * The problems of {@code detailJson} under schema {@code schemaName}, one line each
     * (starting with the JSON path); empty when it is valid.
     */
    List<String> problems(String schemaName, String detailJson);
}
