package io.hybridci.core.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds dependency cycles among steps, so that the error can name one: {@code a → b → a}.
 * A cycle would leave every job in it {@code PENDING} forever.
 */
final class Cycles {

    private enum Mark { VISITING, DONE }

    private Cycles() {
    }

    /**
     * Every distinct cycle reachable by depth-first search in file order, each written from its
     * earliest step in the file and ending where it began ({@code [a, b, a]}); a step that
     * depends on itself gives {@code [a, a]}. Keys that name no step are ignored here: the
     * parser reports those separately.
     */
    static List<List<String>> find(List<Step> steps) {
        Map<String, Integer> position = new HashMap<>();
        Map<String, List<String>> edges = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            position.putIfAbsent(steps.get(i).key(), i);
            edges.putIfAbsent(steps.get(i).key(), steps.get(i).dependsOn());
        }
        Map<String, Mark> marks = new HashMap<>();
        Set<List<String>> cycles = new LinkedHashSet<>();
        for (Step step : steps) {
            visit(step.key(), edges, position, marks, new ArrayList<>(), cycles);
        }
        return List.copyOf(cycles);
    }

    private static void visit(String key, Map<String, List<String>> edges, Map<String, Integer> position,
            Map<String, Mark> marks, List<String> stack, Set<List<String>> cycles) {
        if (marks.get(key) == Mark.DONE) {
            return;
        }
        marks.put(key, Mark.VISITING);
        stack.add(key);
        for (String dependency : edges.getOrDefault(key, List.of())) {
            if (!edges.containsKey(dependency)) {
                continue;
            }
            if (marks.get(dependency) == Mark.VISITING) {
                cycles.add(rotateToEarliest(stack.subList(stack.indexOf(dependency), stack.size()), position));
            } else if (marks.get(dependency) == null) {
                visit(dependency, edges, position, marks, stack, cycles);
            }
        }
        stack.removeLast();
        marks.put(key, Mark.DONE);
    }

    /**
     * Writes the cycle in the direction of {@code depends_on} starting from the step that comes first
     * in the file, and closes it: {@code [b, a]} found from b becomes {@code [a, b, a]}.
     */
    private static List<String> rotateToEarliest(List<String> cycle, Map<String, Integer> position) {
        int start = 0;
        for (int i = 1; i < cycle.size(); i++) {
            if (position.get(cycle.get(i)) < position.get(cycle.get(start))) {
                start = i;
            }
        }
        List<String> written = new ArrayList<>(cycle.size() + 1);
        for (int i = 0; i < cycle.size(); i++) {
            written.add(cycle.get((start + i) % cycle.size()));
        }
        written.add(written.getFirst());
        return List.copyOf(written);
    }
}
