package io.hybridci.topology;

import io.hybridci.schema.RuleDefinition;
import io.hybridci.topology.QueueSpec.QueueRole;
import io.hybridci.topology.Trigger.HttpRoute;
import io.hybridci.topology.Trigger.RotationTrigger;
import io.hybridci.topology.Trigger.RuleTrigger;
import io.hybridci.topology.Trigger.ScheduleTrigger;
import io.hybridci.topology.Trigger.SqsTrigger;
import io.hybridci.topology.Trigger.StreamTrigger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Says what is wrong with a topology, one readable sentence per problem, so that a bad change
 * fails a unit test here instead of a CloudFormation deployment twenty minutes later or, worse,
 * a local cloud that quietly behaves differently from AWS.
 *
 * <p>The limits checked are AWS's own (quoted where they are enforced) plus the rules this
 * project sets itself: every work queue has a dead-letter queue, every rule reaches its target.
 */
public final class TopologyCheck {

    /** AWS: "set the source queue's visibility timeout to at least six times the timeout of your function". */
    static final int VISIBILITY_TO_TIMEOUT_FACTOR = 6;

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern QUEUE_PHYSICAL = Pattern.compile("[A-Za-z0-9_-]+(\\.fifo)?");
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    private static final Pattern FQCN = Pattern.compile(
            "([a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_]*");
    private static final Pattern RATE = Pattern.compile("rate\\((1 (minute|hour|day)|([2-9]|[1-9][0-9]+) (minutes|hours|days))\\)");
    private static final Pattern CRON = Pattern.compile("cron\\(\\S+( \\S+){5}\\)");
    private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY");
    private static final int MAX_FUNCTION_NAME_LENGTH = 64;

    private TopologyCheck() {
    }

    /** Every problem found, in a stable order; empty when the topology is self-consistent. */
    public static List<String> problems(Topology topology) {
        List<String> problems = new ArrayList<>();
        checkUniqueNames(topology, problems);
        checkAgentQueues(topology, problems);
        checkRules(topology, problems);
        checkBusTargetsDlq(topology, problems);
        for (QueueSpec queue : topology.queues()) {
            checkQueue(topology, queue, problems);
        }
        for (TableSpec table : topology.tables()) {
            checkTable(table, problems);
        }
        checkHandlers(topology, problems);
        checkHttpRoutes(topology, problems);
        for (FunctionSpec function : topology.functions()) {
            checkFunction(topology, function, problems);
        }
        checkRotations(topology, problems);
        return List.copyOf(problems);
    }

    private static void checkUniqueNames(Topology topology, List<String> problems) {
        reportDuplicates("function", topology.functions(), FunctionSpec::name, problems);
        reportDuplicates("queue", topology.queues(), QueueSpec::name, problems);
        reportDuplicates("queue physical name", topology.queues(), QueueSpec::physicalName, problems);
        reportDuplicates("table", topology.tables(), TableSpec::name, problems);
        reportDuplicates("secret", topology.secrets(), SecretSpec::name, problems);
        reportDuplicates("rule", topology.rules(), RuleDefinition::name, problems);
        reportDuplicates("agent queue", topology.agentQueues(), Function.identity(), problems);
    }

    private static void checkAgentQueues(Topology topology, List<String> problems) {
        if (topology.agentQueues().isEmpty()) {
            problems.add("no agent queue: agents would have nowhere to take jobs from");
        }
        for (String agentQueue : topology.agentQueues()) {
            if (!NAME.matcher(agentQueue).matches()) {
                // Lower case only: the name becomes part of queue names, IAM resources and URLs.
                problems.add("agent queue '" + agentQueue + "' must be lower-case letters and digits joined by '-'");
            }
            if (agentQueue.endsWith(Topology.PRIORITY_JOB_QUEUE_SUFFIX)) {
                // jobs-<name> would be another agent queue's high-priority queue.
                problems.add("agent queue '" + agentQueue + "' may not end in '" + Topology.PRIORITY_JOB_QUEUE_SUFFIX
                        + "': that suffix names high-priority job queues");
            }
            for (String jobQueue : List.of(Topology.jobQueueName(agentQueue), Topology.priorityJobQueueName(agentQueue))) {
                if (topology.findQueue(jobQueue).filter(queue -> queue.role() == QueueRole.WORK).isEmpty()) {
                    problems.add("agent queue '" + agentQueue + "' has no work queue '" + jobQueue + "'");
                }
            }
        }
    }

    private static void checkRules(Topology topology, List<String> problems) {
        Map<String, List<String>> wiredTo = new HashMap<>();
        for (FunctionSpec function : topology.functions()) {
            for (RuleTrigger trigger : function.triggersOf(RuleTrigger.class)) {
                wiredTo.computeIfAbsent(trigger.ruleName(), _ -> new ArrayList<>()).add(function.name());
            }
        }
        Set<String> ruleNames = new HashSet<>();
        for (RuleDefinition rule : topology.rules()) {
            ruleNames.add(rule.name());
            if (topology.findFunction(rule.target()).isEmpty()) {
                problems.add("rule '" + rule.name() + "' targets '" + rule.target() + "', which is not a function");
            }
            List<String> functions = wiredTo.getOrDefault(rule.name(), List.of());
            if (!functions.equals(List.of(rule.target()))) {
                problems.add("rule '" + rule.name() + "' must be wired to exactly its target '" + rule.target()
                        + "' but is wired to " + functions);
            }
        }
        wiredTo.forEach((ruleName, functions) -> {
            if (!ruleNames.contains(ruleName)) {
                problems.add("functions " + functions + " have a rule trigger '" + ruleName
                        + "' that no file in events-schema/rules defines");
            }
        });
    }

    /**
     * Every rule and schedule target dead-letters to {@link Topology#BUS_TARGETS_DLQ} (CDK's deadLetterQueue on
     * each target, the local bus likewise): it must exist as a standard DEAD_LETTER queue, since EventBridge
     * sends only to standard queues and an event it gave up on must be kept, not dropped.
     */
    private static void checkBusTargetsDlq(Topology topology, List<String> problems) {
        if (!hasBusTargets(topology)) {
            return;
        }
        Optional<QueueSpec> dlq = topology.findQueue(Topology.BUS_TARGETS_DLQ);
        if (dlq.isEmpty()) {
            problems.add("rules and schedules need the dead-letter queue '" + Topology.BUS_TARGETS_DLQ
                    + "', which does not exist");
        } else if (dlq.get().role() != QueueRole.DEAD_LETTER || dlq.get().fifo()) {
            problems.add("queue '" + Topology.BUS_TARGETS_DLQ + "' must be a standard DEAD_LETTER queue "
                    + "(EventBridge dead-letters only to standard queues)");
        }
    }

    /** Whether EventBridge invokes any function: a rule or a schedule. */
    static boolean hasBusTargets(Topology topology) {
        return !topology.rules().isEmpty() || topology.functions().stream()
                .anyMatch(function -> !function.triggersOf(ScheduleTrigger.class).isEmpty());
    }

    private static void checkQueue(Topology topology, QueueSpec queue, List<String> problems) {
        String label = "queue '" + queue.name() + "'";
        if (!NAME.matcher(queue.name()).matches()) {
            problems.add(label + ": logical names are lower-case words joined by '-' (no '.fifo', physicalName adds it)");
        }
        if (queue.physicalName().length() > QueueSpec.MAX_PHYSICAL_NAME_LENGTH
                || !QUEUE_PHYSICAL.matcher(queue.physicalName()).matches()) {
            problems.add(label + ": physical name '" + queue.physicalName() + "' breaks AWS's rule of at most "
                    + QueueSpec.MAX_PHYSICAL_NAME_LENGTH + " letters, digits, '-' and '_'");
        }
        if (queue.contentBasedDeduplication() && !queue.fifo()) {
            problems.add(label + ": content-based deduplication exists only on FIFO queues");
        }
        if (queue.visibilityTimeoutSeconds() < 0 || queue.visibilityTimeoutSeconds() > 43_200) {
            problems.add(label + ": visibility timeout must be 0..43200 s (12 h)");
        }
        if (queue.messageRetentionSeconds() < 60 || queue.messageRetentionSeconds() > QueueSpec.FOURTEEN_DAYS_SECONDS) {
            problems.add(label + ": message retention must be 60..1209600 s (14 days)");
        }
        if (queue.receiveWaitSeconds() < 0 || queue.receiveWaitSeconds() > QueueSpec.MAX_RECEIVE_WAIT_SECONDS) {
            problems.add(label + ": receive wait must be 0..20 s");
        }
        switch (queue.role()) {
            case WORK -> checkWorkQueueRedrive(topology, queue, label, problems);
            case DEAD_LETTER -> {
                checkHasNoDlq(queue, label, problems);
                boolean referenced = topology.queues().stream().anyMatch(q -> queue.name().equals(q.dlqName()))
                        || queue.name().equals(Topology.BUS_TARGETS_DLQ) && hasBusTargets(topology);
                if (!referenced) {
                    problems.add(label + " is a dead-letter queue of no queue");
                }
            }
            case FAILURE_DESTINATION -> {
                checkHasNoDlq(queue, label, problems);
                boolean referenced = topology.functions().stream()
                        .flatMap(function -> function.triggersOf(StreamTrigger.class).stream())
                        .anyMatch(trigger -> trigger.onFailureQueue().equals(queue.name()));
                if (!referenced) {
                    problems.add(label + " is the on-failure destination of no stream trigger");
                }
            }
        }
    }

    private static void checkWorkQueueRedrive(Topology topology, QueueSpec queue, String label, List<String> problems) {
        if (queue.dlqName() == null) {
            problems.add(label + " has no dead-letter queue");
            return;
        }
        Optional<QueueSpec> dlq = topology.findQueue(queue.dlqName());
        if (dlq.isEmpty()) {
            problems.add(label + " names dead-letter queue '" + queue.dlqName() + "', which does not exist");
            return;
        }
        if (dlq.get().role() != QueueRole.DEAD_LETTER) {
            problems.add(label + " redrives to '" + queue.dlqName() + "', whose role is " + dlq.get().role());
        }
        if (dlq.get().fifo() != queue.fifo()) {
            // AWS: "The dead-letter queue of a FIFO queue must also be a FIFO queue" (and vice versa).
            problems.add(label + " is " + kind(queue) + " but its dead-letter queue '" + queue.dlqName() + "' is "
                    + kind(dlq.get()));
        }
        if (dlq.get().messageRetentionSeconds() < queue.messageRetentionSeconds()) {
            // A message's age counts from its first enqueue, so a shorter DLQ retention drops it on arrival.
            problems.add(label + ": dead-letter queue '" + queue.dlqName()
                    + "' keeps messages for less time than the queue itself");
        }
        if (queue.maxReceiveCount() < 1 || queue.maxReceiveCount() > 1000) {
            problems.add(label + ": maxReceiveCount must be 1..1000, is " + queue.maxReceiveCount());
        }
    }

    private static void checkHasNoDlq(QueueSpec queue, String label, List<String> problems) {
        if (queue.dlqName() != null) {
            problems.add(label + " is a " + queue.role() + " queue and must not redrive to another queue");
        }
    }

    private static void checkTable(TableSpec table, List<String> problems) {
        String label = "table '" + table.name() + "'";
        if (!TABLE_NAME.matcher(table.name()).matches()) {
            problems.add(label + ": name must be 3..255 letters, digits, '_', '-' or '.'");
        }
        reportDuplicates("index of " + label, table.globalSecondaryIndexes(), TableSpec.Gsi::name, problems);
        if (table.ttlAttribute() != null) {
            boolean isKey = table.partitionKey().name().equals(table.ttlAttribute())
                    || table.findSortKey().map(KeyAttribute::name).filter(table.ttlAttribute()::equals).isPresent();
            if (isKey) {
                problems.add(label + ": TTL attribute '" + table.ttlAttribute() + "' must not be a key attribute");
            }
        }
    }

    private static void checkHandlers(Topology topology, List<String> problems) {
        for (FunctionSpec function : topology.functions()) {
            if (!FQCN.matcher(function.handler()).matches()) {
                problems.add("function '" + function.name() + "': handler '" + function.handler()
                        + "' is not a fully qualified class name (lower-case package, class in UpperCamelCase)");
            }
        }
        reportDuplicates("handler", topology.functions(), FunctionSpec::handler, problems);
    }

    private static void checkHttpRoutes(Topology topology, List<String> problems) {
        Map<String, String> ownerByRoute = new HashMap<>();
        List<HttpRoute> all = new ArrayList<>();
        for (FunctionSpec function : topology.functions()) {
            for (HttpRoute route : function.triggersOf(HttpRoute.class)) {
                checkRouteShape(function, route, problems);
                for (HttpRoute other : all) {
                    if (other.path().equals(route.path()) && (other.method().equals(route.method())
                            || other.method().equals("ANY") || route.method().equals("ANY"))) {
                        problems.add("route '" + route.routeKey() + "' of '" + function.name() + "' collides with '"
                                + other.routeKey() + "' of '" + ownerByRoute.get(other.routeKey()) + "'");
                    }
                }
                all.add(route);
                ownerByRoute.put(route.routeKey(), function.name());
            }
        }
    }

    private static void checkRouteShape(FunctionSpec function, HttpRoute route, List<String> problems) {
        String label = "function '" + function.name() + "': route '" + route.routeKey() + "'";
        if (!HTTP_METHODS.contains(route.method())) {
            problems.add(label + " has an unknown method");
        }
        int greedy = route.path().indexOf("+}");
        if (!route.path().startsWith("/") || (greedy >= 0 && greedy != route.path().length() - 2)) {
            problems.add(label + ": a path starts with '/' and a greedy {name+} segment may only come last");
        }
    }

    private static void checkFunction(Topology topology, FunctionSpec function, List<String> problems) {
        String label = "function '" + function.name() + "'";
        if (!NAME.matcher(function.name()).matches() || function.name().length() > MAX_FUNCTION_NAME_LENGTH) {
            problems.add(label + ": names are lower-case words joined by '-', at most 64 characters");
        }
        if (function.memoryMb() < 128 || function.memoryMb() > 10_240) {
            problems.add(label + ": memory must be 128..10240 MB");
        }
        if (function.timeoutSeconds() < 1 || function.timeoutSeconds() > 900) {
            problems.add(label + ": timeout must be 1..900 s");
        }
        if (function.triggers().isEmpty()) {
            problems.add(label + " has no trigger: nothing would ever invoke it");
        }
        for (SqsTrigger trigger : function.triggersOf(SqsTrigger.class)) {
            checkSqsTrigger(topology, function, trigger, problems);
        }
        for (StreamTrigger trigger : function.triggersOf(StreamTrigger.class)) {
            checkStreamTrigger(topology, function, trigger, problems);
        }
        for (ScheduleTrigger trigger : function.triggersOf(ScheduleTrigger.class)) {
            if (!RATE.matcher(trigger.expression()).matches() && !CRON.matcher(trigger.expression()).matches()) {
                problems.add(label + ": schedule '" + trigger.name() + "' has expression '" + trigger.expression()
                        + "', which is neither rate(1 minute|N minutes|...) nor cron(6 fields)");
            }
        }
        for (Access access : function.access()) {
            checkAccessTarget(topology, function, access, problems);
        }
    }

    private static void checkSqsTrigger(Topology topology, FunctionSpec function, SqsTrigger trigger,
                                        List<String> problems) {
        String label = "function '" + function.name() + "': SQS trigger on '" + trigger.queueName() + "'";
        Optional<QueueSpec> found = topology.findQueue(trigger.queueName());
        if (found.isEmpty()) {
            problems.add(label + " names a queue that does not exist");
            return;
        }
        QueueSpec queue = found.get();
        if (queue.role() != QueueRole.WORK) {
            problems.add(label + " consumes a " + queue.role() + " queue; those are for humans to inspect");
        }
        if (topology.consumersOf(queue.name()).size() > 1) {
            problems.add(label + ": the queue has several consuming functions, which would split its messages");
        }
        if (trigger.maxBatchingWindowSeconds() < 0 || trigger.maxBatchingWindowSeconds() > 300) {
            problems.add(label + ": batching window must be 0..300 s");
        }
        if (queue.fifo()) {
            // AWS: for FIFO queues the maximum batch size is 10 and no batching window is supported.
            if (trigger.batchSize() < 1 || trigger.batchSize() > 10) {
                problems.add(label + ": batch size of a FIFO queue must be 1..10");
            }
            if (trigger.maxBatchingWindowSeconds() != 0) {
                problems.add(label + ": FIFO queues support no batching window");
            }
        } else {
            if (trigger.batchSize() < 1 || trigger.batchSize() > 10_000) {
                problems.add(label + ": batch size must be 1..10000");
            }
            if (trigger.batchSize() > 10 && trigger.maxBatchingWindowSeconds() < 1) {
                problems.add(label + ": a batch size above 10 needs a batching window of at least 1 s");
            }
        }
        int minimumVisibility = VISIBILITY_TO_TIMEOUT_FACTOR * function.timeoutSeconds()
                + trigger.maxBatchingWindowSeconds();
        if (queue.visibilityTimeoutSeconds() < minimumVisibility) {
            // Otherwise a message still being processed reappears and is processed twice, and with
            // Lambda's throttling retries it can reach the DLQ without ever failing.
            problems.add(label + ": visibility timeout " + queue.visibilityTimeoutSeconds()
                    + " s is below 6 x the function timeout + batching window = " + minimumVisibility + " s");
        }
        if (!trigger.reportBatchItemFailures()) {
            problems.add(label + " must report batch item failures, or one bad message retries the whole batch");
        }
    }

    private static void checkStreamTrigger(Topology topology, FunctionSpec function, StreamTrigger trigger,
                                           List<String> problems) {
        String label = "function '" + function.name() + "': stream trigger on '" + trigger.tableName() + "'";
        Optional<TableSpec> table = topology.findTable(trigger.tableName());
        if (table.isEmpty()) {
            problems.add(label + " names a table that does not exist");
        } else if (!table.get().streamNewAndOldImages()) {
            problems.add(label + ": the table has no stream");
        }
        if (trigger.batchSize() < 1 || trigger.batchSize() > 10_000) {
            problems.add(label + ": batch size must be 1..10000");
        }
        if (trigger.maxRetryAttempts() < 0 || trigger.maxRetryAttempts() > 10_000) {
            // -1 (infinite) is legal in AWS but would let one poison record block the shard for 24 h.
            problems.add(label + ": retries must be bounded, 0..10000");
        }
        Optional<QueueSpec> onFailure = topology.findQueue(trigger.onFailureQueue());
        if (onFailure.isEmpty()) {
            problems.add(label + ": on-failure queue '" + trigger.onFailureQueue() + "' does not exist");
        } else if (onFailure.get().role() != QueueRole.FAILURE_DESTINATION) {
            problems.add(label + ": on-failure queue '" + trigger.onFailureQueue() + "' has role "
                    + onFailure.get().role() + ", expected FAILURE_DESTINATION");
        } else if (onFailure.get().fifo()) {
            problems.add(label + ": on-failure queue '" + trigger.onFailureQueue()
                    + "' must be a standard queue (Lambda destinations do not support FIFO)");
        }
        if (!trigger.reportBatchItemFailures()) {
            problems.add(label + " must report batch item failures, or a retry restarts from the batch's first record");
        }
    }

    private static void checkAccessTarget(Topology topology, FunctionSpec function, Access access,
                                          List<String> problems) {
        boolean exists = switch (access) {
            case Access.TableAccess table -> topology.findTable(table.table()).isPresent();
            case Access.QueueSendAccess send -> topology.findQueue(send.queue()).isPresent();
            case Access.QueueUrlOnly url -> topology.findQueue(url.queue()).isPresent();
            case Access.QueuePeekAccess peek -> topology.findQueue(peek.queue()).isPresent();
            case Access.EventBusPutAccess bus -> bus.bus().equals(topology.eventBusName());
            case Access.SecretAccess secret -> topology.findSecret(secret.secret()).isPresent();
            // One key, like one bus: the CDK app creates exactly it (construct SigningKeys).
            case Access.KmsKeyAccess key -> key.key().equals(Topology.SIGNING_KEY);
        };
        if (!exists) {
            problems.add("function '" + function.name() + "' accesses '" + access.resource()
                    + "', which the topology does not define");
        } else if (access instanceof Access.QueuePeekAccess peek
                && topology.queue(peek.queue()).role() == QueueRole.WORK) {
            // A receive on a work queue would hide a job or an update from its consumer and count towards its DLQ.
            problems.add("function '" + function.name() + "' peeks at work queue '" + peek.queue()
                    + "': only dead-letter and failure queues may be peeked");
        }
    }

    private static void checkRotations(Topology topology, List<String> problems) {
        Map<String, List<String>> rotators = new HashMap<>();
        for (FunctionSpec function : topology.functions()) {
            for (RotationTrigger trigger : function.triggersOf(RotationTrigger.class)) {
                rotators.computeIfAbsent(trigger.secretName(), _ -> new ArrayList<>()).add(function.name());
                if (topology.findSecret(trigger.secretName()).isEmpty()) {
                    problems.add("function '" + function.name() + "' rotates secret '" + trigger.secretName()
                            + "', which does not exist");
                }
                if (trigger.scheduleDays() < 1 || trigger.scheduleDays() > 1000) {
                    problems.add("function '" + function.name() + "': rotation of '" + trigger.secretName()
                            + "' must be every 1..1000 days");
                }
                boolean mayRotate = function.access().contains(
                        new Access.SecretAccess(trigger.secretName(), Access.SecretUse.ROTATE));
                if (!mayRotate) {
                    problems.add("function '" + function.name() + "' rotates '" + trigger.secretName()
                            + "' without ROTATE access to it");
                }
            }
        }
        rotators.forEach((secret, functions) -> {
            if (functions.size() > 1) {
                problems.add("secret '" + secret + "' has several rotations: " + functions);
            }
        });
    }

    private static <T> void reportDuplicates(String kind, List<T> items, Function<T, String> nameOf,
                                             List<String> problems) {
        Set<String> seen = new HashSet<>();
        Set<String> reported = new HashSet<>();
        for (T item : items) {
            String name = nameOf.apply(item);
            if (!seen.add(name) && reported.add(name)) {
                problems.add("duplicate " + kind + " name '" + name + "'");
            }
        }
    }

    private static String kind(QueueSpec queue) {
        return queue.fifo() ? "FIFO" : "standard";
    }
}
