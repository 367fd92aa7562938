package io.hybridci.local;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a {@link LocalCloud}.
 *
 * @param dataDir          where every engine keeps its state ({@code .hybridci/} by default); created if missing
 * @param port             the HTTP gateway's port on 127.0.0.1; 0 picks a free one (tests)
 * @param clock            the time every function and the schedules see; tests pass a clock they can move
 * @param agentQueues      agent queue names; each gets a {@code jobs-<queue>} SQS queue
 * @param nodeModulesDir   the {@code node_modules} that {@code npm ci} filled in {@code local/} (dynalite)
 * @param runSchedules     whether schedules fire by themselves; tests turn it off and call
 *                         {@link LocalCloud#triggerNow(String)} so a moved clock fires nothing behind their back
 * @param dashboardDir     static files served under {@code /}, or null when there is no dashboard yet
 * @param github           where github-status posts commit statuses, or null to leave it unwired: local
 *                         repositories are rarely on GitHub, and every build event would otherwise fail against
 *                         api.github.com and end as a dead letter
 * @param functionEnvironment function name → variables added to its environment, as a deployer sets optional
 *                         variables on a Lambda function (e.g. build-planner's {@code CANCEL_SUPERSEDED_BRANCHES})
 */
public record LocalCloudOptions(Path dataDir, int port, Clock clock, List<String> agentQueues, Path nodeModulesDir,
                                boolean runSchedules, Path dashboardDir, GithubFeedback github,
                                Map<String, Map<String, String>> functionEnvironment) {

    /**
     * Commit statuses from the local cloud.
     *
     * @param apiUrl GitHub's REST API base ({@code https://api.github.com}, {@code https://HOST/api/v3}, or a
     *               test server); becomes github-status's {@code GITHUB_API_URL}
     * @param token  the value of the local secret {@code hybridci/github-token} (a token, or a GitHub App's
     *               JSON), or null to keep the secret's current value (a placeholder on first start)
     */
    public record GithubFeedback(URI apiUrl, String token) {
        public GithubFeedback {
            Objects.requireNonNull(apiUrl, "apiUrl");
            if (!"http".equals(apiUrl.getScheme()) && !"https".equals(apiUrl.getScheme())) {
                throw new IllegalArgumentException("the GitHub API URL must be http(s): " + apiUrl);
            }
        }

        /** Never prints the token. */
        @Override
        public String toString() {
            return "GithubFeedback[apiUrl=" + apiUrl + ", token=" + (token == null ? "unchanged" : "***") + "]";
        }
    }

    /** Without commit statuses (github-status unwired), as before there was a GitHub option. */
    public LocalCloudOptions(Path dataDir, int port, Clock clock, List<String> agentQueues, Path nodeModulesDir,
                             boolean runSchedules, Path dashboardDir) {
        this(dataDir, port, clock, agentQueues, nodeModulesDir, runSchedules, dashboardDir, null, Map.of());
    }

    public LocalCloudOptions {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(nodeModulesDir, "nodeModulesDir");
        agentQueues = List.copyOf(agentQueues);
        functionEnvironment = Map.copyOf(functionEnvironment);
        if (agentQueues.isEmpty()) throw new IllegalArgumentException("at least one agent queue is needed");
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("port must be 0..65535: " + port);
    }

    /** The options of {@code ./hybridci up}: real clock, queue {@code default}, schedules running, no dashboard. */
    public static LocalCloudOptions of(Path dataDir, int port, Path nodeModulesDir) {
        return new LocalCloudOptions(dataDir, port, Clock.systemUTC(), List.of("default"), nodeModulesDir, true, null);
    }

    /** A copy with another clock. */
    public LocalCloudOptions withClock(Clock newClock) {
        return new LocalCloudOptions(dataDir, port, newClock, agentQueues, nodeModulesDir, runSchedules, dashboardDir, github, functionEnvironment);
    }

    /** A copy whose schedules fire only through {@link LocalCloud#triggerNow(String)}. */
    public LocalCloudOptions withoutBackgroundSchedules() {
        return new LocalCloudOptions(dataDir, port, clock, agentQueues, nodeModulesDir, false, dashboardDir, github, functionEnvironment);
    }

    /** A copy with another gateway port. */
    public LocalCloudOptions withPort(int newPort) {
        return new LocalCloudOptions(dataDir, newPort, clock, agentQueues, nodeModulesDir, runSchedules, dashboardDir, github, functionEnvironment);
    }

    /** A copy that posts commit statuses through github-status to {@code feedback}'s API. */
    public LocalCloudOptions withGithub(GithubFeedback feedback) {
        return new LocalCloudOptions(dataDir, port, clock, agentQueues, nodeModulesDir, runSchedules, dashboardDir,
                Objects.requireNonNull(feedback, "feedback"), functionEnvironment);
    }

    /** A copy that sets variable {@code name} of {@code function}'s environment to {@code value}. */
    public LocalCloudOptions withFunctionEnvironment(String function, String name, String value) {
        Map<String, Map<String, String>> all = new java.util.HashMap<>(functionEnvironment);
        Map<String, String> variables = new java.util.HashMap<>(all.getOrDefault(function, Map.of()));
        variables.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        all.put(function, Map.copyOf(variables));
        return new LocalCloudOptions(dataDir, port, clock, agentQueues, nodeModulesDir, runSchedules, dashboardDir, github, all);
    }
}
