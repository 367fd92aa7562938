package io.hybridci.schema;

import java.util.Objects;

/**
 * One EventBridge rule as written in {@code events-schema/rules/<name>.json}: the only place
 * a pattern is spelled. The CDK app turns it into an {@code AWS::Events::Rule}; the local bus
 * compiles the same pattern with AWS Event Ruler.
 *
 * @param name         rule name, unique, also the file name without {@code .json}
 * @param description  why the rule exists, shown in the AWS console
 * @param target       name of the function the rule invokes (a topology function name)
 * @param eventPattern the pattern as a compact JSON string, ready for EventBridge
 *                     {@code PutRule} or {@code Machine.addRule}
 */
public record RuleDefinition(String name, String description, String target, String eventPattern) {

    public RuleDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(eventPattern, "eventPattern");
    }
}
