package io.hybridci.topology;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Names of the environment variables through which a function learns its resources. The CDK app
 * sets them, the local cloud sets them, and each function's config record reads them: one
 * constant, three users, no typo can separate them.
 */
public final class EnvironmentNames {

    /** Name of the {@code state} table. */
    public static final String STATE_TABLE = "STATE_TABLE";
    /** Name of the {@code audit} table. */
    public static final String AUDIT_TABLE = "AUDIT_TABLE";
    /** Name of the {@code logs} table. */
    public static final String LOGS_TABLE = "LOGS_TABLE";
    /** Name of the EventBridge bus. */
    public static final String EVENT_BUS_NAME = "EVENT_BUS_NAME";
    /** URL of the FIFO {@code agent-updates} queue. */
    public static final String AGENT_UPDATES_QUEUE_URL = "AGENT_UPDATES_QUEUE_URL";
    /** URL of {@code agent-updates}' FIFO dead-letter queue, where job-updater keeps the messages it rejects. */
    public static final String AGENT_UPDATES_DLQ_QUEUE_URL = "AGENT_UPDATES_DLQ_QUEUE_URL";
    /**
     * JSON object from agent queue name to the URL of its {@code jobs-<queue>} queue, e.g.
     * {@code {"default":"https://sqs.../jobs-default"}}. A map, not a URL prefix, because
     * queue URLs are not guaranteed to share one and the local engine's differ.
     */
    public static final String JOB_QUEUE_URLS = "JOB_QUEUE_URLS";
    /**
     * JSON object from agent queue name to the URL of its high-priority {@code jobs-<queue>-high} queue, like
     * {@link #JOB_QUEUE_URLS}: where jobs of priority above 0 are sent, and the queue agents poll first.
     */
    public static final String PRIORITY_JOB_QUEUE_URLS = "PRIORITY_JOB_QUEUE_URLS";
    /**
     * JSON object from the logical name of each dead-letter and failure queue a function may peek
     * ({@link Access.QueuePeekAccess}) to {@code {"url": …, "kind": …, "deadLetterOf": …}}
     * ({@link Topology#deadLetterQueues()}): the api's {@code GET /api/v1/dead-letters}.
     */
    public static final String DEAD_LETTER_QUEUES = "DEAD_LETTER_QUEUES";
    /** Secrets Manager id of the GitHub webhook secret. */
    public static final String WEBHOOK_SECRET_ID = "WEBHOOK_SECRET_ID";
    /** Secrets Manager id of the agent registration token. */
    public static final String REGISTRATION_TOKEN_SECRET_ID = "REGISTRATION_TOKEN_SECRET_ID";
    /** Secrets Manager id of the admin (dashboard / CLI) token. */
    public static final String ADMIN_TOKEN_SECRET_ID = "ADMIN_TOKEN_SECRET_ID";
    /** Secrets Manager id of the GitHub credentials of github-status (a token, or a GitHub App's JSON). */
    public static final String GITHUB_TOKEN_SECRET_ID = "GITHUB_TOKEN_SECRET_ID";
    /** Base URL of GitHub's REST API: {@code https://api.github.com}, or {@code https://HOST/api/v3} (Enterprise Server). */
    public static final String GITHUB_API_URL = "GITHUB_API_URL";
    /**
     * Optional base URL of the dashboard (e.g. {@code https://ci.example.com}); commit statuses link to
     * {@code <DASHBOARD_URL>/#/builds/<id>}. Absent → statuses carry no link.
     */
    public static final String DASHBOARD_URL = "DASHBOARD_URL";
    /**
     * Optional, build-planner: comma-separated branch globs (e.g. {@code feature/**, fix/*}) whose new builds
     * cancel the branch's older unfinished builds. Absent or blank → off; a wildcard never matches the
     * repository's default branch (name it exactly to opt it in).
     */
    public static final String CANCEL_SUPERSEDED_BRANCHES = "CANCEL_SUPERSEDED_BRANCHES";
    /**
     * Optional, github-status: {@code true} adds one commit status per job, context {@code hybridci/<key>}, beside
     * the build's {@code hybridci}. Absent or {@code false} → build statuses only.
     */
    public static final String GITHUB_STATUS_PER_JOB = "GITHUB_STATUS_PER_JOB";
    /**
     * Id (an ARN in AWS and locally) of the KMS key {@link Topology#SIGNING_KEY}, under which agents' signing
     * keys are stored encrypted. Only functions that read or write agent sessions get it.
     */
    public static final String SIGNING_KEY_ID = "SIGNING_KEY_ID";
    /**
     * Local mode only: the endpoint every SDK client is pointed at. Absent in AWS, where the
     * SDK's own endpoint resolution applies.
     */
    public static final String AWS_ENDPOINT_URL = "AWS_ENDPOINT_URL";
    /** Region, set by Lambda itself in AWS and by the local cloud locally. */
    public static final String AWS_REGION = "AWS_REGION";
    /** Logical function name ({@code state-reactor}, ...), used as {@code system:<fn>} actor in writes. */
    public static final String HYBRIDCI_FUNCTION = "HYBRIDCI_FUNCTION";

    private EnvironmentNames() {
    }

    /**
     * The variables a function needs, derived from what it accesses: a table access needs the
     * table's name, a queue access the queue's URL, and so on. Every function also gets
     * {@link #HYBRIDCI_FUNCTION}. Region and endpoint are the platform's, so they are not listed.
     */
    public static SortedSet<String> requiredBy(FunctionSpec function, Topology topology) {
        SortedSet<String> names = new TreeSet<>();
        names.add(HYBRIDCI_FUNCTION);
        for (Access access : function.access()) {
            names.add(forAccess(access, topology));
        }
        names.addAll(function.extraEnvironment().keySet());
        return Collections.unmodifiableSortedSet(names);
    }

    /** The variable that carries the resource of one access. */
    public static String forAccess(Access access, Topology topology) {
        return switch (access) {
            case Access.TableAccess table -> forTable(table.table());
            case Access.QueueSendAccess send -> forQueue(send.queue());
            case Access.QueueUrlOnly url -> forQueue(url.queue());
            case Access.QueuePeekAccess _ -> DEAD_LETTER_QUEUES;
            case Access.EventBusPutAccess _ -> EVENT_BUS_NAME;
            case Access.SecretAccess secret -> topology.secret(secret.secret()).environmentVariable();
            case Access.KmsKeyAccess key -> forKey(key.key());
        };
    }

    /** {@code state} → {@code STATE_TABLE}; other tables follow the same convention. */
    public static String forTable(String tableName) {
        return tableName.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_TABLE";
    }

    /** {@code signing} → {@link #SIGNING_KEY_ID}; another key would follow the same convention. */
    public static String forKey(String keyName) {
        return keyName.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_KEY_ID";
    }

    /**
     * Job queues share {@link #JOB_QUEUE_URLS}, their high-priority twins {@link #PRIORITY_JOB_QUEUE_URLS}; any
     * other queue gets {@code <NAME>_QUEUE_URL}.
     */
    public static String forQueue(String queueName) {
        if (Topology.isPriorityJobQueue(queueName)) {
            return PRIORITY_JOB_QUEUE_URLS;
        }
        if (queueName.startsWith(Topology.JOB_QUEUE_PREFIX)) {
            return JOB_QUEUE_URLS;
        }
        return queueName.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_QUEUE_URL";
    }
}
