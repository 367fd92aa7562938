package io.hybridci.topology;

import io.hybridci.schema.RuleCatalog;
import io.hybridci.schema.RuleDefinition;
import io.hybridci.topology.Access.DataAccess;
import io.hybridci.topology.Access.EventBusPutAccess;
import io.hybridci.topology.Access.KeyUse;
import io.hybridci.topology.Access.KmsKeyAccess;
import io.hybridci.topology.Access.QueueSendAccess;
import io.hybridci.topology.Access.QueuePeekAccess;
import io.hybridci.topology.Access.QueueUrlOnly;
import io.hybridci.topology.Access.SecretAccess;
import io.hybridci.topology.Access.SecretUse;
import io.hybridci.topology.Access.TableAccess;
import io.hybridci.topology.QueueSpec.QueueRole;
import io.hybridci.topology.TableSpec.Gsi;
import io.hybridci.topology.Trigger.HttpRoute;
import io.hybridci.topology.Trigger.RotationTrigger;
import io.hybridci.topology.Trigger.RuleTrigger;
import io.hybridci.topology.Trigger.ScheduleTrigger;
import io.hybridci.topology.Trigger.SqsTrigger;
import io.hybridci.topology.Trigger.StartingPosition;
import io.hybridci.topology.Trigger.StreamTrigger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Every function, trigger, queue, table, secret and rule of Hybrid CI, as plain data. The CDK app
 * builds AWS resources from it and the local cloud builds its engines from it, so the two cannot
 * drift; {@link TopologyCheck} says whether a topology is self-consistent.
 *
 * <p>The numbers are explained where they are chosen, in {@link #standard(List, List)}, and in
 * {@code docs/topology.md}.
 *
 * @param eventBusName the EventBridge bus all events go through
 * @param agentQueues  the agent queue names; each has a {@code jobs-<queue>} SQS queue and its high-priority
 *                     twin {@code jobs-<queue>-high}
 * @param functions    the Lambda functions
 * @param queues       the SQS queues, dead-letter queues included
 * @param tables       the DynamoDB tables
 * @param secrets      the Secrets Manager secrets
 * @param rules        the EventBridge rules, as loaded from {@code events-schema/rules}
 */
public record Topology(String eventBusName, List<String> agentQueues, List<FunctionSpec> functions,
                       List<QueueSpec> queues, List<TableSpec> tables, List<SecretSpec> secrets,
                       List<RuleDefinition> rules) {

    public static final String EVENT_BUS = "hybridci";
    /**
     * Retries of a rule target after its first delivery failed, in AWS (the rule target's retry policy) and on
     * the local bus alike: a planner that fails for a moment (a contended write, a slow engine) must get the
     * event again rather than lose a build's pipeline after a few hundred milliseconds.
     */
    public static final int RULE_TARGET_RETRY_ATTEMPTS = 8;
    public static final List<String> DEFAULT_AGENT_QUEUES = List.of("default");

    public static final String WEBHOOK_INTAKE = "webhook-intake";
    public static final String API = "api";
    public static final String BUILD_PLANNER = "build-planner";
    public static final String STATE_REACTOR = "state-reactor";
    public static final String AUDIT_WRITER = "audit-writer";
    public static final String JOB_UPDATER = "job-updater";
    public static final String REAPER = "reaper";
    public static final String SECRET_ROTATOR = "secret-rotator";
    public static final String GITHUB_STATUS = "github-status";

    public static final String STATE_TABLE = "state";
    public static final String AUDIT_TABLE = "audit";
    public static final String LOGS_TABLE = "logs";

    public static final String AGENT_UPDATES_QUEUE = "agent-updates";
    public static final String STATE_REACTOR_FAILURES_QUEUE = "state-reactor-failures";
    public static final String AUDIT_WRITER_FAILURES_QUEUE = "audit-writer-failures";
    /**
     * The dead-letter queue of every EventBridge rule and schedule target: an event no target accepted after
     * {@link #RULE_TARGET_RETRY_ATTEMPTS} retries (in AWS also after an hour) is kept here for 14 days, with
     * EventBridge's RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE attributes. Standard, as EventBridge requires.
     */
    public static final String BUS_TARGETS_DLQ = "bus-targets-dlq";
    public static final String JOB_QUEUE_PREFIX = "jobs-";
    public static final String DLQ_SUFFIX = "-dlq";
    /**
     * Suffix of an agent queue's high-priority job queue ({@code jobs-<queue>-high}): SQS standard queues
     * have no priority, so jobs of priority above 0 go to a second queue that agents poll first
     * (docs/agent-protocol.md, "Priorities"). An agent queue's own name may not end in it ({@link TopologyCheck}).
     */
    public static final String PRIORITY_JOB_QUEUE_SUFFIX = "-high";

    public static final String WEBHOOK_SECRET = "hybridci/github-webhook";
    public static final String REGISTRATION_TOKEN_SECRET = "hybridci/registration-token";
    public static final String ADMIN_TOKEN_SECRET = "hybridci/admin-token";
    /** The schedule on which secret-rotator finishes webhook rotations past their grace period. */
    public static final String ROTATION_GRACE_SCHEDULE = "rotation-grace-every-15-minutes";
    public static final String GITHUB_TOKEN_SECRET = "hybridci/github-token";
    /** GitHub's REST API; a GitHub Enterprise Server is {@code https://HOST/api/v3}. */
    public static final String DEFAULT_GITHUB_API_URL = "https://api.github.com";

    /**
     * The KMS key under which agents' signing keys are stored (DESIGN section 7); its id reaches functions as
     * {@link EnvironmentNames#SIGNING_KEY_ID}. In AWS the CDK construct SigningKeys, locally the LocalKms engine.
     */
    public static final String SIGNING_KEY = "signing";

    /** The TTL attribute of every table whose items expire: epoch seconds, as DynamoDB requires. */
    public static final String TTL_ATTRIBUTE = "expiresAt";

    public Topology {
        Objects.requireNonNull(eventBusName, "eventBusName");
        agentQueues = List.copyOf(agentQueues);
        functions = List.copyOf(functions);
        queues = List.copyOf(queues);
        tables = List.copyOf(tables);
        secrets = List.copyOf(secrets);
        rules = List.copyOf(rules);
    }

    /** The standard topology with the single agent queue {@code default}. */
    public static Topology standard() {
        return standard(DEFAULT_AGENT_QUEUES);
    }

    /** The standard topology with these agent queues and the rules of {@code events-schema}. */
    public static Topology standard(List<String> agentQueues) {
        return standard(agentQueues, RuleCatalog.load());
    }

    /**
     * The standard topology with these agent queues and rules. Each rule is wired to the function
     * it names as target; a target that is not a function is left for {@link TopologyCheck} to report.
     */
    public static Topology standard(List<String> agentQueues, List<RuleDefinition> rules) {
        List<String> jobQueues = agentQueues.stream()
                .flatMap(agentQueue -> Stream.of(jobQueueName(agentQueue), priorityJobQueueName(agentQueue)))
                .toList();
        List<FunctionSpec> functions = new ArrayList<>(standardFunctions(jobQueues));
        for (RuleDefinition rule : rules) {
            functions.replaceAll(function -> function.name().equals(rule.target())
                    ? function.withTriggers(append(function.triggers(), new RuleTrigger(rule.name())))
                    : function);
        }
        return new Topology(EVENT_BUS, agentQueues, functions, standardQueues(jobQueues), standardTables(),
                standardSecrets(), rules);
    }

    /** The logical name of the SQS queue that carries jobs to agents of {@code agentQueue}. */
    public static String jobQueueName(String agentQueue) {
        return JOB_QUEUE_PREFIX + agentQueue;
    }

    /** The logical name of the SQS queue that carries high-priority jobs to agents of {@code agentQueue}. */
    public static String priorityJobQueueName(String agentQueue) {
        return JOB_QUEUE_PREFIX + agentQueue + PRIORITY_JOB_QUEUE_SUFFIX;
    }

    /**
     * Whether {@code queueName} is a high-priority job queue. Unambiguous because no agent queue's name ends in
     * {@link #PRIORITY_JOB_QUEUE_SUFFIX} ({@link TopologyCheck}); {@code jobs-high} is agent queue {@code high}'s.
     */
    public static boolean isPriorityJobQueue(String queueName) {
        return queueName.startsWith(JOB_QUEUE_PREFIX) && queueName.endsWith(PRIORITY_JOB_QUEUE_SUFFIX)
                && queueName.length() > JOB_QUEUE_PREFIX.length() + PRIORITY_JOB_QUEUE_SUFFIX.length();
    }

    /** The agent queue a {@code jobs-<queue>} or {@code jobs-<queue>-high} queue serves. */
    public static String agentQueueOf(String jobQueueName) {
        String rest = jobQueueName.substring(JOB_QUEUE_PREFIX.length());
        return isPriorityJobQueue(jobQueueName) ? rest.substring(0, rest.length() - PRIORITY_JOB_QUEUE_SUFFIX.length()) : rest;
    }

    /** The logical name of the dead-letter queue of {@code queueName}. */
    public static String dlqName(String queueName) {
        return queueName + DLQ_SUFFIX;
    }

    /** The function with this name; fails naming the known ones. */
    public FunctionSpec function(String name) {
        return findFunction(name).orElseThrow(() -> unknown("function", name, functions, FunctionSpec::name));
    }

    /** The queue with this logical name; fails naming the known ones. */
    public QueueSpec queue(String name) {
        return findQueue(name).orElseThrow(() -> unknown("queue", name, queues, QueueSpec::name));
    }

    /** The table with this name; fails naming the known ones. */
    public TableSpec table(String name) {
        return findTable(name).orElseThrow(() -> unknown("table", name, tables, TableSpec::name));
    }

    /** The secret with this name; fails naming the known ones. */
    public SecretSpec secret(String name) {
        return findSecret(name).orElseThrow(() -> unknown("secret", name, secrets, SecretSpec::name));
    }

    public Optional<FunctionSpec> findFunction(String name) {
        return functions.stream().filter(function -> function.name().equals(name)).findFirst();
    }

    public Optional<QueueSpec> findQueue(String name) {
        return queues.stream().filter(queue -> queue.name().equals(name)).findFirst();
    }

    public Optional<TableSpec> findTable(String name) {
        return tables.stream().filter(table -> table.name().equals(name)).findFirst();
    }

    public Optional<SecretSpec> findSecret(String name) {
        return secrets.stream().filter(secret -> secret.name().equals(name)).findFirst();
    }

    /** The {@code jobs-<queue>} and {@code jobs-<queue>-high} queues, in agent-queue order. */
    public List<QueueSpec> jobQueues() {
        return agentQueues.stream()
                .flatMap(agentQueue -> Stream.of(jobQueueName(agentQueue), priorityJobQueueName(agentQueue)))
                .map(this::findQueue).flatMap(Optional::stream).toList();
    }

    /** The functions that consume {@code queueName} through an SQS trigger. */
    public List<FunctionSpec> consumersOf(String queueName) {
        return functions.stream()
                .filter(function -> function.triggersOf(SqsTrigger.class).stream()
                        .anyMatch(trigger -> trigger.queueName().equals(queueName)))
                .toList();
    }

    /**
     * Every queue that holds what was given up on, with what it holds it for: the DLQs of the work queues,
     * the stream triggers' on-failure queues and the bus targets' DLQ, in the order of {@link #queues()}.
     * A queue no one sends to (a broken topology) is left out; {@link TopologyCheck} reports it.
     */
    public List<DeadLetterSource> deadLetterQueues() {
        List<DeadLetterSource> sources = new ArrayList<>();
        for (QueueSpec queue : queues) {
            switch (queue.role()) {
                case WORK -> { }
                case DEAD_LETTER -> {
                    Optional<QueueSpec> source = queues.stream()
                            .filter(work -> queue.name().equals(work.dlqName())).findFirst();
                    if (source.isPresent()) {
                        sources.add(new DeadLetterSource(queue.name(), DeadLetterSource.Kind.QUEUE_REDRIVE,
                                source.get().name()));
                    } else if (queue.name().equals(BUS_TARGETS_DLQ)) {
                        sources.add(new DeadLetterSource(queue.name(), DeadLetterSource.Kind.BUS_TARGETS,
                                "rule and schedule targets of bus " + eventBusName));
                    }
                }
                case FAILURE_DESTINATION -> functions.stream()
                        .filter(function -> function.triggersOf(StreamTrigger.class).stream()
                                .anyMatch(trigger -> trigger.onFailureQueue().equals(queue.name())))
                        .findFirst()
                        .ifPresent(function -> sources.add(new DeadLetterSource(queue.name(),
                                DeadLetterSource.Kind.STREAM_ON_FAILURE,
                                function.name() + " on the stream of " + function.triggersOf(StreamTrigger.class)
                                        .getFirst().tableName())));
            }
        }
        return List.copyOf(sources);
    }

    /** A copy with other functions; tests use it to build broken variants. */
    public Topology withFunctions(List<FunctionSpec> newFunctions) {
        return new Topology(eventBusName, agentQueues, newFunctions, queues, tables, secrets, rules);
    }

    /**
     * A copy whose function {@code function} gets {@code variable=value} in its environment: a deployment's optional
     * setting (the CDK app's context values, e.g. {@link EnvironmentNames#CANCEL_SUPERSEDED_BRANCHES}).
     *
     * @throws IllegalArgumentException for an unknown function
     */
    public Topology withFunctionEnvironment(String function, String variable, String value) {
        function(function);
        return withFunctions(functions.stream()
                .map(spec -> spec.name().equals(function) ? spec.withEnvironmentVariable(variable, value) : spec)
                .toList());
    }

    /** A copy with other queues. */
    public Topology withQueues(List<QueueSpec> newQueues) {
        return new Topology(eventBusName, agentQueues, functions, newQueues, tables, secrets, rules);
    }

    /** A copy with other tables. */
    public Topology withTables(List<TableSpec> newTables) {
        return new Topology(eventBusName, agentQueues, functions, queues, newTables, secrets, rules);
    }

    /** A copy with other rules (the functions' rule triggers are left as they are). */
    public Topology withRules(List<RuleDefinition> newRules) {
        return new Topology(eventBusName, agentQueues, functions, queues, tables, secrets, newRules);
    }

    // ---------------------------------------------------------------------------------------------
    // The standard topology. Memory: Lambda allots CPU in proportion to memory (1,769 MB = one
    // vCPU), and a Java cold start is CPU-bound (building one SDK client costs ~1.5 s of CPU), so
    // latency-facing and batch-heavy functions get 1,024 MB and the rest 512 MB, the point below
    // which JIT warm-up visibly slows a Java function.

    private static List<FunctionSpec> standardFunctions(List<String> jobQueues) {
        // GET /api/v1/dead-letters: the api peeks at every queue that keeps what was given up on.
        Set<Access> peekDeadLetters = new HashSet<>();
        for (String jobQueue : jobQueues) {
            peekDeadLetters.add(new QueuePeekAccess(dlqName(jobQueue)));
        }
        for (String queue : List.of(dlqName(AGENT_UPDATES_QUEUE), STATE_REACTOR_FAILURES_QUEUE,
                AUDIT_WRITER_FAILURES_QUEUE, BUS_TARGETS_DLQ)) {
            peekDeadLetters.add(new QueuePeekAccess(queue));
        }
        Set<Access> sendToJobQueues = new HashSet<>();
        Set<Access> jobQueueUrls = new HashSet<>();
        for (String jobQueue : jobQueues) {
            sendToJobQueues.add(new QueueSendAccess(jobQueue));
            jobQueueUrls.add(new QueueUrlOnly(jobQueue));
        }
        EventBusPutAccess putEvents = new EventBusPutAccess(EVENT_BUS);
        TableAccess stateReadWrite = new TableAccess(STATE_TABLE, DataAccess.READ_WRITE);

        return List.of(
                // GitHub gives up on a delivery after 10 s and marks it failed; answering within
                // that is the contract, so the timeout is 10 s, not API Gateway's 30 s.
                new FunctionSpec(WEBHOOK_INTAKE, "io.hybridci.webhook.WebhookIntakeHandler", 1024, 10,
                        List.of(new HttpRoute("POST", "/webhooks/github")),
                        Set.of(stateReadWrite, putEvents, new SecretAccess(WEBHOOK_SECRET, SecretUse.READ)),
                        Map.of()),
                // Every call is a key read or one conditional write; 10 s bounds a stuck call far
                // below agents' HTTP timeouts and API Gateway's 30 s integration limit.
                new FunctionSpec(API, "io.hybridci.api.ApiHandler", 1024, 10,
                        List.of(new HttpRoute("ANY", "/api/v1/{proxy+}"), new HttpRoute("ANY", "/agent/v1/{proxy+}")),
                        union(Set.of(stateReadWrite,
                                        new TableAccess(AUDIT_TABLE, DataAccess.READ),
                                        new TableAccess(LOGS_TABLE, DataAccess.READ),
                                        // "Pipeline Uploaded" goes to the bus for the planner.
                                        putEvents,
                                        new QueueUrlOnly(AGENT_UPDATES_QUEUE),
                                        new SecretAccess(REGISTRATION_TOKEN_SECRET, SecretUse.READ),
                                        new SecretAccess(ADMIN_TOKEN_SECRET, SecretUse.READ),
                                        // `secrets rotate|finish github-webhook`: an admin starts and ends the
                                        // rotation through the API, so the new value is shown once, to them.
                                        new SecretAccess(WEBHOOK_SECRET, SecretUse.ROTATE),
                                        // register/ping issue sessions (encrypt their signing keys) and read
                                        // the current session back (decrypt) to renew it.
                                        new KmsKeyAccess(SIGNING_KEY, KeyUse.ENCRYPT_DECRYPT)),
                                union(jobQueueUrls, peekDeadLetters)),
                        Map.of()),
                // A large pipeline becomes hundreds of conditional writes (one per job); 30 s leaves
                // room for throttling back-off. Rule triggers are added from events-schema below.
                new FunctionSpec(BUILD_PLANNER, "io.hybridci.planner.BuildPlannerHandler", 1024, 30,
                        List.of(),
                        // logs: a bad pipeline fails the bootstrap job with its error in the job log.
                        Set.of(stateReadWrite, new TableAccess(LOGS_TABLE, DataAccess.WRITE)),
                        Map.of()),
                // A batch of 100 stream records is 100-odd writes, sends and PutEvents; 60 s absorbs
                // throttling retries while a shard is still processed well under a minute.
                new FunctionSpec(STATE_REACTOR, "io.hybridci.reactor.StateReactorHandler", 1024, 60,
                        List.of(stateStream(STATE_REACTOR_FAILURES_QUEUE)),
                        union(Set.of(stateReadWrite, putEvents), sendToJobQueues),
                        Map.of()),
                // Hashing is cheap; the cost is one read of the chain head and one conditional put
                // per record, so 512 MB suffices and 60 s matches the reactor's batch.
                new FunctionSpec(AUDIT_WRITER, "io.hybridci.audit.AuditWriterHandler", 512, 60,
                        List.of(stateStream(AUDIT_WRITER_FAILURES_QUEUE)),
                        Set.of(new TableAccess(AUDIT_TABLE, DataAccess.READ_WRITE)),
                        Map.of()),
                // Ten messages (a log chunk is at most 256 KB) take well under a second; 30 s is the
                // margin, and agent-updates' visibility timeout is sized from it (6 x 30 s).
                // A rejected (badly signed, replayed) update is written to state, so the audit-writer
                // records it in the chain like every other change.
                new FunctionSpec(JOB_UPDATER, "io.hybridci.updater.JobUpdaterHandler", 1024, 30,
                        List.of(new SqsTrigger(AGENT_UPDATES_QUEUE, 10, 0, true)),
                        Set.of(stateReadWrite, new TableAccess(LOGS_TABLE, DataAccess.WRITE),
                                // Verifying a message's HMAC needs the sender's signing key in clear; it never
                                // writes one, so no encrypt.
                                new KmsKeyAccess(SIGNING_KEY, KeyUse.DECRYPT),
                                // A rejected message is acknowledged (never retried, which would block its group),
                                // so redrive never moves it: job-updater keeps it in the DLQ itself.
                                new QueueSendAccess(dlqName(AGENT_UPDATES_QUEUE))),
                        Map.of()),
                // Runs every minute; a 50 s timeout ends one sweep before the next one starts, so two
                // reapers never race on the same expired job.
                new FunctionSpec(REAPER, "io.hybridci.reaper.ReaperHandler", 512, 50,
                        List.of(new ScheduleTrigger("reaper-every-minute", "rate(1 minute)")),
                        // Job queues: a QUEUED job whose dispatch got stuck is sent again.
                        union(Set.of(stateReadWrite), sendToJobQueues),
                        Map.of()),
                // Each rotation step is one or two Secrets Manager calls; 30 s is generous. Both
                // the old and the new secret stay valid while a rotation is pending, so 30 days is
                // a cadence, not an emergency measure.
                // The schedule ends held webhook rotations once their grace period is over (the grace is
                // in hours, so at most 15 minutes late). It is the rotator's, not the reaper's: the rotator
                // already holds ROTATE on the secret, and the every-minute reaper needs no secret at all.
                new FunctionSpec(SECRET_ROTATOR, "io.hybridci.rotator.SecretRotatorHandler", 512, 30,
                        List.of(new RotationTrigger(WEBHOOK_SECRET, 30),
                                new RotationTrigger(REGISTRATION_TOKEN_SECRET, 30),
                                new ScheduleTrigger(ROTATION_GRACE_SCHEDULE, "rate(15 minutes)")),
                        Set.of(new SecretAccess(WEBHOOK_SECRET, SecretUse.ROTATE),
                                new SecretAccess(REGISTRATION_TOKEN_SECRET, SecretUse.ROTATE),
                                // setSecret of the registration token stores its hash; finishSecret revokes the old one.
                                stateReadWrite,
                                putEvents),
                        Map.of()),
                // One status call per build state change, plus an installation-token exchange per
                // hour with a GitHub App. 30 s allows one wait on GitHub's Retry-After (capped at
                // 20 s); longer rate limits throw and EventBridge's asynchronous retry comes back later.
                // state read: the handler reports the build's current state, not the event's, so an
                // out-of-order delivery never puts "pending" over "success".
                new FunctionSpec(GITHUB_STATUS, "io.hybridci.status.GithubStatusHandler", 512, 30,
                        List.of(),
                        Set.of(new TableAccess(STATE_TABLE, DataAccess.READ),
                                new SecretAccess(GITHUB_TOKEN_SECRET, SecretUse.READ)),
                        Map.of(EnvironmentNames.GITHUB_API_URL, DEFAULT_GITHUB_API_URL)));
    }

    /**
     * Both stream consumers read {@code state} the same way: batches of 100 (the DynamoDB Streams
     * default, one GetRecords call), from TRIM_HORIZON so nothing written before the mapping existed
     * is skipped, bisecting a failing batch to isolate the poison record, at most 5 retries, then
     * the batch description goes to an on-failure queue rather than blocking the shard for the
     * 24 h retention of the stream.
     */
    private static StreamTrigger stateStream(String onFailureQueue) {
        return new StreamTrigger(STATE_TABLE, 100, StartingPosition.TRIM_HORIZON, 5, true, onFailureQueue, true);
    }

    private static List<QueueSpec> standardQueues(List<String> jobQueues) {
        List<QueueSpec> queues = new ArrayList<>();
        for (String jobQueue : jobQueues) {
            // Agents, not functions, consume these. 30 s of visibility covers an agent's receive →
            // accept → delete round trip; if the agent dies in between, another agent sees the job
            // 30 s later. Retention is the SQS maximum: expiring a queued job is the reaper's
            // decision (state EXPIRED), never a silent drop by SQS. After 5 receives without a
            // delete, something is wrong with the message itself: it goes to the DLQ.
            // The same holds for the high-priority twin jobs-<queue>-high (a list entry of its own).
            queues.add(new QueueSpec(jobQueue, QueueRole.WORK, false, false, 30, QueueSpec.FOURTEEN_DAYS_SECONDS,
                    QueueSpec.MAX_RECEIVE_WAIT_SECONDS, dlqName(jobQueue), 5));
            queues.add(QueueSpec.deadLetter(dlqName(jobQueue), false));
        }
        // FIFO with group = job id keeps started/log/finished of one job in order. Agents set the
        // dedup id (job id + sequence), so content-based deduplication stays off. Visibility is
        // 6 x job-updater's 30 s timeout (AWS's advice for Lambda-consumed queues). A poison
        // message blocks its job's group until it reaches the DLQ, hence maxReceiveCount 5, not more.
        queues.add(new QueueSpec(AGENT_UPDATES_QUEUE, QueueRole.WORK, true, false, 180, 4 * 24 * 3600,
                QueueSpec.MAX_RECEIVE_WAIT_SECONDS, dlqName(AGENT_UPDATES_QUEUE), 5));
        queues.add(QueueSpec.deadLetter(dlqName(AGENT_UPDATES_QUEUE), true));
        queues.add(QueueSpec.failureDestination(STATE_REACTOR_FAILURES_QUEUE));
        queues.add(QueueSpec.failureDestination(AUDIT_WRITER_FAILURES_QUEUE));
        // Every rule and schedule target's DLQ (CDK: deadLetterQueue of each target; locally the bus sends to it).
        queues.add(QueueSpec.deadLetter(BUS_TARGETS_DLQ, false));
        return List.copyOf(queues);
    }

    private static List<TableSpec> standardTables() {
        return List.of(
                // Single-table design: builds, jobs, agents, tokens, deliveries, deployments. gsi1 and
                // gsi2 serve the access patterns by secondary key (e.g. jobs by state and queue, agents
                // by last heartbeat) without scans. The stream feeds state-reactor and audit-writer;
                // TTL removes webhook deliveries kept for dedup and expired tokens.
                new TableSpec(STATE_TABLE, KeyAttribute.string("pk"), KeyAttribute.string("sk"),
                        List.of(new Gsi("gsi1", KeyAttribute.string("gsi1pk"), KeyAttribute.string("gsi1sk")),
                                new Gsi("gsi2", KeyAttribute.string("gsi2pk"), KeyAttribute.string("gsi2sk"))),
                        true, TTL_ATTRIBUTE, true),
                // One hash chain per entity, seq contiguous; records are never updated or expired:
                // an audit trail that forgets is no proof.
                new TableSpec(AUDIT_TABLE, KeyAttribute.string("chain"), KeyAttribute.number("seq"),
                        List.of(), false, null, true),
                // Log chunks of a job in order; logs expire, the audit trail does not. No point-in-time
                // recovery: logs are the bulk of the data and can be re-run, builds and audit cannot.
                new TableSpec(LOGS_TABLE, KeyAttribute.string("jobId"), KeyAttribute.number("seq"),
                        List.of(), false, TTL_ATTRIBUTE, false));
    }

    private static List<SecretSpec> standardSecrets() {
        return List.of(
                new SecretSpec(WEBHOOK_SECRET, "HMAC key of GitHub webhook signatures (X-Hub-Signature-256)",
                        EnvironmentNames.WEBHOOK_SECRET_ID),
                new SecretSpec(REGISTRATION_TOKEN_SECRET, "Token agents present to register",
                        EnvironmentNames.REGISTRATION_TOKEN_SECRET_ID),
                new SecretSpec(ADMIN_TOKEN_SECRET, "Bearer token of the dashboard and CLI on /api/v1",
                        EnvironmentNames.ADMIN_TOKEN_SECRET_ID),
                new SecretSpec(GITHUB_TOKEN_SECRET, "GitHub credentials of github-status: a fine-grained token, or "
                        + "JSON {appId, installationId, privateKey} of a GitHub App", EnvironmentNames.GITHUB_TOKEN_SECRET_ID));
    }

    private static <T> List<T> append(List<T> list, T element) {
        List<T> copy = new ArrayList<>(list);
        copy.add(element);
        return copy;
    }

    private static <T> Set<T> union(Set<T> first, Set<T> second) {
        Set<T> union = new HashSet<>(first);
        union.addAll(second);
        return union;
    }

    private static <T> IllegalArgumentException unknown(String kind, String name, List<T> known,
                                                        Function<T, String> nameOf) {
        Map<String, T> byName = new LinkedHashMap<>();
        known.forEach(item -> byName.put(nameOf.apply(item), item));
        return new IllegalArgumentException("Unknown " + kind + " '" + name + "'; known: " + byName.keySet());
    }
}
