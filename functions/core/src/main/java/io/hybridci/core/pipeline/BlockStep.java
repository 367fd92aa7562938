package io.hybridci.core.pipeline;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A manual gate: the build waits in {@code BLOCKED} until a person unblocks it, optionally
 * filling in fields whose values later steps read.
 *
 * @param key unique step key
 * @param label the {@code block:} text shown on the button
 * @param prompt a longer explanation shown when unblocking, if any
 * @param fields inputs asked for when unblocking
 * @param dependsOn keys of the steps that must pass before the gate opens for approval
 * @param allowedRoles who may unblock; empty means anyone allowed to act on the build
 * @param condition the {@code if} expression, evaluated later by the planner
 */
public record BlockStep(
        String key,
        String label,
        Optional<String> prompt,
        List<Field> fields,
        List<String> dependsOn,
        List<String> allowedRoles,
        Optional<String> condition) implements Step {

    public BlockStep {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(prompt, "prompt");
        fields = List.copyOf(fields);
        dependsOn = List.copyOf(dependsOn);
        allowedRoles = List.copyOf(allowedRoles);
        Objects.requireNonNull(condition, "condition");
    }

    /**
     * One input of a block step. With {@code options} it is a choice, otherwise free text.
     *
     * @param key the name later steps read the value by
     * @param text the question shown
     * @param required whether unblocking needs a value
     * @param defaultValue pre-filled value; one of {@code options} when those are given
     * @param options the allowed values; empty for free text
     */
    public record Field(String key, String text, boolean required, Optional<String> defaultValue, List<String> options) {
        public Field {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(defaultValue, "defaultValue");
            options = List.copyOf(options);
        }
    }
}
