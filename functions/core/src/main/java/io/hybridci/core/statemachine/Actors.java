package io.hybridci.core.statemachine;

import java.util.Objects;

/**
 * Builds the {@code lastActor} strings every item carries (DESIGN section 4):
 * {@code agent:<id>}, {@code user:<id>}, {@code github:<login>}, {@code system:<function>}.
 * One place, so the audit trail and the dashboard can parse them.
 */
public final class Actors {

    private Actors() {
    }

    public static String agent(String agentId) {
        return "agent:" + requireNonBlank(agentId);
    }

    public static String user(String userId) {
        return "user:" + requireNonBlank(userId);
    }

    public static String github(String login) {
        return "github:" + requireNonBlank(login);
    }

    public static String system(String function) {
        return "system:" + requireNonBlank(function);
    }

    private static String requireNonBlank(String value) {
        Objects.requireNonNull(value, "actor id");
        if (value.isBlank()) {
            throw new IllegalArgumentException("actor id must not be blank");
        }
        return value;
    }
}
