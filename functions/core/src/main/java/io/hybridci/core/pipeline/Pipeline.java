package io.hybridci.core.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated {@code .hybridci/pipeline.yml}: its steps in file order and the environment
 * every step inherits. Only {@link PipelineParser} (or {@link PipelineJson} reading what the
 * parser produced) builds one, so a {@code Pipeline} always has unique keys and an acyclic
 * {@code depends_on} graph.
 *
 * @param steps the steps, in the order they appear in the file
 * @param env variables set for every step (a step's own {@code env} wins), in file order
 */
public record Pipeline(List<Step> steps, Map<String, String> env) {

    public Pipeline {
        steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
        env = orderedCopy(env);
    }

    /** The step with this key, if any. */
    public Optional<Step> step(String key) {
        return steps.stream().filter(step -> step.key().equals(key)).findFirst();
    }

    /** An unmodifiable copy that keeps insertion order (unlike {@code Map.copyOf}), so output reads like the file. */
    static Map<String, String> orderedCopy(Map<String, String> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(map, "env")));
    }
}
