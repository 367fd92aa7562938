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
 * @param deploy what a deploy job runs around its command, null for other jobs
 */
public record JobSpec(String id, String buildId, String key, String label, int attempt, Kind kind, String command,
                      Map<String, String> env, Integer timeoutInMinutes, String repositoryFullName, String cloneUrl,
                      String commit, String branch, String tag, Deploy deploy) {

    /** A job without a {@code deploy} block (command and bootstrap jobs). */
    public JobSpec(String id, String buildId, String key, String label, int attempt, Kind kind, String command,
                   Map<String, String> env, Integer timeoutInMinutes, String repositoryFullName, String cloneUrl,
                   String commit, String branch, String tag) {
        this(id, buildId, key, label, attempt, kind, command, env, timeoutInMinutes, repositoryFullName, cloneUrl,
                commit, branch, tag, null);
    }

    /**
     * The {@code deploy} block of {@code accept} (docs/agent-protocol.md).
     *
     * @param strategy {@code blue-green} or {@code rolling}
     * @param healthCheck the command that must pass before traffic moves, or null
     * @param switchCommand the command that moves traffic to {@code HYBRIDCI_DEPLOY_COLOR}, or null
     * @param rollbackCommand the command that undoes the deploy after a failed health check, or null
     */
    public record Deploy(String environment, String strategy, String healthCheck, String switchCommand,
                         String rollbackCommand) {}

    /** The kinds of job an agent runs; a bootstrap job uploads the pipeline instead of running a command. */
    public enum Kind { BOOTSTRAP, COMMAND, DEPLOY }

    public JobSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        env = env == null ? Map.of() : Map.copyOf(env);
    }
}
