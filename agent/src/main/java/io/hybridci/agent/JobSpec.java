package io.hybridci.agent;

import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to run a job, as {@code accept} returned it.
 *
 * @param kind {@code BOOTSTRAP}, {@code COMMAND} or {@code DEPLOY}
 * @param command the shell command (null for a bootstrap job)
 * @param cloneUrl any URL git can fetch: https, ssh, a {@code file://} URL or a local path
 * @param branch the branch of the build, or null (a tag build)
 */
public record JobSpec(String id, String buildId, String key, String label, int attempt, Kind kind, String command,
                      Map<String, String> env, Integer timeoutInMinutes, String repositoryFullName, String cloneUrl,
                      String commit, String branch, String tag) {

    /** The kinds of job an agent runs; a bootstrap job uploads the pipeline instead of running a command. */
    public enum Kind { BOOTSTRAP, COMMAND, DEPLOY }

    public JobSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        env = env == null ? Map.of() : Map.copyOf(env);
    }
}
