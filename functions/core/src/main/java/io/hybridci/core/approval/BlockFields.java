package io.hybridci.core.approval;

import io.hybridci.core.build.BuildRollup;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobState;
import io.hybridci.core.pipeline.BlockStep;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A block step's fields: checking what an approver entered against the step's definitions, and
 * handing the values on to the steps after the gate.
 *
 * <p>Where the values live: on the approved block job's own {@code env}, as
 * {@code HYBRIDCI_FIELD_<KEY>} (a block job has no command, so its env is otherwise empty). When the
 * state-reactor queues a job it merges the env of every PASSED block job among the job's
 * dependencies, direct or transitive ({@link #inherit}); so the values are in the job item before any
 * agent accepts it, and {@code accept} needs no extra read. A step's own {@code env} wins over a field
 * of the same name: what the pipeline file says explicitly is not overridden by a form.
 */
public final class BlockFields {

    /** The prefix of the variables that carry field values. */
    public static final String ENV_PREFIX = "HYBRIDCI_FIELD_";

    private BlockFields() {
    }

    /** {@code HYBRIDCI_FIELD_} + the key upper-cased, anything not a letter, digit or {@code _} made {@code _}. */
    public static String envName(String fieldKey) {
        return ENV_PREFIX + fieldKey.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    }

    /**
     * The problems of {@code values} against {@code fields}: an unknown key, a required field without a
     * value (and no default), a value outside a field's options. Empty when they fit.
     */
    public static List<String> problems(List<BlockStep.Field> fields, Map<String, String> values) {
        List<String> problems = new ArrayList<>();
        Set<String> known = new HashSet<>();
        for (BlockStep.Field field : fields) {
            known.add(field.key());
            String value = values.get(field.key());
            boolean missing = value == null || value.isBlank();
            if (missing && field.required() && field.defaultValue().isEmpty()) {
                problems.add("field \"" + field.key() + "\" is required (" + field.text() + ")");
            } else if (!missing && !field.options().isEmpty() && !field.options().contains(value)) {
                problems.add("field \"" + field.key() + "\" must be one of " + field.options() + ", was \"" + value
                        + "\"");
            }
        }
        values.keySet().stream().filter(key -> !known.contains(key)).sorted()
                .forEach(key -> problems.add("field \"" + key + "\" is not a field of this block step"));
        return problems;
    }

    /** The env an approval records: every field's value, or its default when none was given. */
    public static Map<String, String> env(List<BlockStep.Field> fields, Map<String, String> values) {
        Map<String, String> env = new TreeMap<>();
        for (BlockStep.Field field : fields) {
            String value = values.get(field.key());
            if (value == null || value.isBlank()) {
                value = field.defaultValue().orElse(null);
            }
            if (value != null) {
                env.put(envName(field.key()), value);
            }
        }
        return env;
    }

    /**
     * {@code job} with the field values of the PASSED block jobs it depends on, directly or through
     * other steps, under its own env (its own values win). Unchanged when there are none.
     *
     * @param latestByKey the build's latest attempt per step key ({@link BuildRollup#latestByKey})
     */
    public static Job inherit(Job job, Map<String, Job> latestByKey) {
        Map<String, String> inherited = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        Deque<String> toVisit = new ArrayDeque<>(job.dependsOn());
        while (!toVisit.isEmpty()) {
            String key = toVisit.pop();
            Job dependency = latestByKey.get(key);
            if (!seen.add(key) || dependency == null) {
                continue;
            }
            if (dependency.kind() == JobKind.BLOCK && dependency.state() == JobState.PASSED) {
                dependency.env().forEach((name, value) -> {
                    if (name.startsWith(ENV_PREFIX)) {
                        inherited.putIfAbsent(name, value);
                    }
                });
            }
            toVisit.addAll(dependency.dependsOn());
        }
        if (inherited.isEmpty()) {
            return job;
        }
        Map<String, String> env = new TreeMap<>(inherited);
        env.putAll(job.env());
        return job.toBuilder().env(env).build();
    }
}
