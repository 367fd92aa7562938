package io.hybridci.topology;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One Lambda function: what runs ({@code handler}, a fully qualified class name that the
 * function's own module provides), how big it is, what invokes it and what it may touch.
 *
 * @param name             logical name, also the Maven module name, e.g. {@code state-reactor}
 * @param handler          FQCN of the {@code RequestHandler}; the topology only names it
 * @param memoryMb         Lambda memory; CPU is allotted in proportion to it
 * @param timeoutSeconds   Lambda timeout; queues consumed by this function size their visibility from it
 * @param triggers         what invokes the function
 * @param access           what the function's code reads and writes (least privilege grants)
 * @param extraEnvironment settings beyond the resource names that {@link EnvironmentNames} derives
 */
public record FunctionSpec(String name, String handler, int memoryMb, int timeoutSeconds, List<Trigger> triggers,
                           Set<Access> access, Map<String, String> extraEnvironment) {

    public FunctionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        triggers = List.copyOf(triggers);
        access = Set.copyOf(access);
        extraEnvironment = Map.copyOf(extraEnvironment);
    }

    /** The triggers of one kind, e.g. {@code triggersOf(Trigger.StreamTrigger.class)}. */
    public <T extends Trigger> List<T> triggersOf(Class<T> kind) {
        return triggers.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** A copy with other triggers; used to build variants in tests and by tools. */
    public FunctionSpec withTriggers(List<Trigger> newTriggers) {
        return new FunctionSpec(name, handler, memoryMb, timeoutSeconds, newTriggers, access, extraEnvironment);
    }

    /** A copy with {@code name=value} added to (or replacing in) its extra environment. */
    public FunctionSpec withEnvironmentVariable(String variable, String value) {
        Map<String, String> environment = new java.util.TreeMap<>(extraEnvironment);
        environment.put(Objects.requireNonNull(variable, "variable"), Objects.requireNonNull(value, "value"));
        return new FunctionSpec(name, handler, memoryMb, timeoutSeconds, triggers, access, environment);
    }

    /** A copy with another timeout. */
    public FunctionSpec withTimeoutSeconds(int newTimeoutSeconds) {
        return new FunctionSpec(name, handler, memoryMb, newTimeoutSeconds, triggers, access, extraEnvironment);
    }
}
