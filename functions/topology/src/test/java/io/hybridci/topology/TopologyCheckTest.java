package io.hybridci.topology;

import io.hybridci.schema.RuleDefinition;
import io.hybridci.topology.QueueSpec.QueueRole;
import io.hybridci.topology.Trigger.HttpRoute;
import io.hybridci.topology.Trigger.RuleTrigger;
import io.hybridci.topology.Trigger.ScheduleTrigger;
import io.hybridci.topology.Trigger.SqsTrigger;
import io.hybridci.topology.Trigger.StartingPosition;
import io.hybridci.topology.Trigger.StreamTrigger;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each test breaks one thing in an otherwise consistent topology and expects exactly that to be reported. */
class TopologyCheckTest {

    /** Fixed rules, so these tests do not change when events-schema gains a rule. */
    private static final List<RuleDefinition> RULES = List.of(
            new RuleDefinition("github-push", "push builds", "build-planner", "{\"source\":[\"github.com\"]}"),
            new RuleDefinition("pipeline-uploaded", "plan jobs", "build-planner", "{\"source\":[\"hybridci.builds\"]}"),
            new RuleDefinition("build-state-changed", "commit statuses", "github-status",
                    "{\"detail-type\":[\"Build State Changed\"]}"));

    private final Topology consistent = Topology.standard(List.of("default"), RULES);

    @Test
    void shouldReportNothing_whenTopologyIsConsistent() {
        assertEquals(List.of(), TopologyCheck.problems(consistent));
    }

    @Test
    void shouldReportRuleTarget_whenRuleTargetsNoFunction() {
        Topology broken = Topology.standard(List.of("default"), List.of(
                new RuleDefinition("github-push", "push builds", "bulid-planner", "{}")));

        assertProblem(broken, "rule 'github-push' targets 'bulid-planner', which is not a function");
    }

    @Test
    void shouldReportMissingWiring_whenRuleIsNotAFunctionTrigger() {
        Topology broken = mapFunction(consistent, "build-planner", f -> f.withTriggers(
                List.of(new RuleTrigger("github-push"))));

        assertProblem(broken, "rule 'pipeline-uploaded' must be wired to exactly its target 'build-planner' but is wired to []");
    }

    @Test
    void shouldReportWrongWiring_whenRuleAlsoTriggersAnotherFunction() {
        Topology broken = mapFunction(consistent, "reaper", f -> f.withTriggers(
                plus(f.triggers(), new RuleTrigger("github-push"))));

        assertProblem(broken, "rule 'github-push' must be wired to exactly its target 'build-planner' but is wired to [build-planner, reaper]");
    }

    @Test
    void shouldReportUnknownRule_whenTriggerNamesARuleWithoutFile() {
        Topology broken = mapFunction(consistent, "reaper", f -> f.withTriggers(
                plus(f.triggers(), new RuleTrigger("nightly"))));

        assertProblem(broken, "functions [reaper] have a rule trigger 'nightly' that no file in events-schema/rules defines");
    }

    @Test
    void shouldReportDuplicates_whenNamesRepeat() {
        List<FunctionSpec> functions = new ArrayList<>(consistent.functions());
        functions.add(consistent.function("reaper"));
        List<QueueSpec> queues = new ArrayList<>(consistent.queues());
        queues.add(consistent.queue("jobs-default-dlq"));

        Topology broken = consistent.withFunctions(functions).withQueues(queues);

        assertProblem(broken, "duplicate function name 'reaper'");
        assertProblem(broken, "duplicate handler name 'io.hybridci.reaper.ReaperHandler'");
        assertProblem(broken, "duplicate queue name 'jobs-default-dlq'");
    }

    @Test
    void shouldReportMissingDlq_whenWorkQueueHasNone() {
        Topology broken = mapQueue(consistent, "jobs-default", q -> withDlq(q, null, 0));

        assertProblem(broken, "queue 'jobs-default' has no dead-letter queue");
        assertProblem(broken, "queue 'jobs-default-dlq' is a dead-letter queue of no queue");
    }

    @Test
    void shouldReportDanglingDlq_whenDlqDoesNotExist() {
        Topology broken = mapQueue(consistent, "jobs-default", q -> withDlq(q, "jobs-dlq", 5));

        assertProblem(broken, "queue 'jobs-default' names dead-letter queue 'jobs-dlq', which does not exist");
    }

    @Test
    void shouldReportFifoMismatch_whenFifoQueueHasStandardDlq() {
        Topology broken = mapQueue(consistent, "agent-updates-dlq", q -> QueueSpec.deadLetter(q.name(), false));

        assertProblem(broken, "queue 'agent-updates' is FIFO but its dead-letter queue 'agent-updates-dlq' is standard");
    }

    @Test
    void shouldReportMaxReceiveCount_whenZero() {
        Topology broken = mapQueue(consistent, "jobs-default", q -> withDlq(q, q.dlqName(), 0));

        assertProblem(broken, "queue 'jobs-default': maxReceiveCount must be 1..1000, is 0");
    }

    @Test
    void shouldReportVisibility_whenBelowSixTimesConsumerTimeout() {
        Topology broken = mapFunction(consistent, "job-updater", f -> f.withTimeoutSeconds(31));

        assertProblem(broken, "function 'job-updater': SQS trigger on 'agent-updates': visibility timeout 180 s"
                + " is below 6 x the function timeout + batching window = 186 s");
    }

    @Test
    void shouldReportFifoBatchLimits_whenBatchTooLargeOrWindowSet() {
        Topology broken = mapFunction(consistent, "job-updater", f -> f.withTriggers(
                List.of(new SqsTrigger("agent-updates", 20, 1, true))));

        assertProblem(broken, "function 'job-updater': SQS trigger on 'agent-updates': batch size of a FIFO queue must be 1..10");
        assertProblem(broken, "function 'job-updater': SQS trigger on 'agent-updates': FIFO queues support no batching window");
    }

    @Test
    void shouldReportMissingQueue_whenSqsTriggerNamesUnknownQueue() {
        Topology broken = mapFunction(consistent, "job-updater", f -> f.withTriggers(
                List.of(new SqsTrigger("agent-update", 10, 0, true))));

        assertProblem(broken, "function 'job-updater': SQS trigger on 'agent-update' names a queue that does not exist");
    }

    @Test
    void shouldReportStreamProblems_whenTableHasNoStreamAndOnFailureQueueIsMissing() {
        Topology broken = mapFunction(consistent, "audit-writer", f -> f.withTriggers(List.of(
                new StreamTrigger("audit", 100, StartingPosition.TRIM_HORIZON, 5, true, "nowhere", true))));

        assertProblem(broken, "function 'audit-writer': stream trigger on 'audit': the table has no stream");
        assertProblem(broken, "function 'audit-writer': stream trigger on 'audit': on-failure queue 'nowhere' does not exist");
        assertProblem(broken, "queue 'audit-writer-failures' is the on-failure destination of no stream trigger");
    }

    @Test
    void shouldReportUnboundedRetries_whenStreamRetriesForever() {
        Topology broken = mapFunction(consistent, "state-reactor", f -> f.withTriggers(List.of(
                new StreamTrigger("state", 100, StartingPosition.TRIM_HORIZON, -1, true, "state-reactor-failures", true))));

        assertProblem(broken, "function 'state-reactor': stream trigger on 'state': retries must be bounded, 0..10000");
    }

    @Test
    void shouldReportCollision_whenTwoFunctionsClaimTheSameRoute() {
        Topology broken = mapFunction(consistent, "webhook-intake", f -> f.withTriggers(
                plus(f.triggers(), new HttpRoute("GET", "/api/v1/{proxy+}"))));

        assertProblem(broken, "route 'ANY /api/v1/{proxy+}' of 'api' collides with 'GET /api/v1/{proxy+}' of 'webhook-intake'");
    }

    @Test
    void shouldReportHandler_whenNotAFullyQualifiedClassName() {
        Topology broken = mapFunction(consistent, "reaper", f -> new FunctionSpec(f.name(), "ReaperHandler",
                f.memoryMb(), f.timeoutSeconds(), f.triggers(), f.access(), f.extraEnvironment()));

        assertProblem(broken, "function 'reaper': handler 'ReaperHandler' is not a fully qualified class name"
                + " (lower-case package, class in UpperCamelCase)");
    }

    @Test
    void shouldReportPhysicalName_whenAgentQueueNameMakesItTooLong() {
        String longQueue = "q".repeat(74);
        Topology broken = Topology.standard(List.of(longQueue), RULES);

        assertProblem(broken, "queue 'jobs-" + longQueue + "-dlq': physical name 'jobs-" + longQueue
                + "-dlq' breaks AWS's rule of at most 80 letters, digits, '-' and '_'");
    }

    @Test
    void shouldReportAgentQueue_whenItsNameEndsInThePrioritySuffix() {
        Topology broken = Topology.standard(List.of("default", "default-high"), RULES);

        assertProblem(broken, "agent queue 'default-high' may not end in '-high': that suffix names high-priority job queues");
    }

    @Test
    void shouldReportAgentQueue_whenItsHighPriorityQueueIsMissing() {
        List<QueueSpec> queues = new ArrayList<>(consistent.queues());
        queues.removeIf(queue -> queue.name().startsWith("jobs-default-high"));
        Topology broken = consistent.withQueues(queues);

        assertProblem(broken, "agent queue 'default' has no work queue 'jobs-default-high'");
    }

    @Test
    void shouldReportAgentQueue_whenNameHasUpperCaseOrUnderscore() {
        Topology broken = Topology.standard(List.of("Deploy_Prod"), RULES);

        assertProblem(broken, "agent queue 'Deploy_Prod' must be lower-case letters and digits joined by '-'");
    }

    @Test
    void shouldReportSchedule_whenRateUsesPluralForOne() {
        Topology broken = mapFunction(consistent, "reaper", f -> f.withTriggers(
                List.of(new ScheduleTrigger("reaper-every-minute", "rate(1 minutes)"))));

        assertProblem(broken, "function 'reaper': schedule 'reaper-every-minute' has expression 'rate(1 minutes)',"
                + " which is neither rate(1 minute|N minutes|...) nor cron(6 fields)");
    }

    @Test
    void shouldReportAccess_whenFunctionTouchesAnUndefinedTable() {
        Topology broken = consistent.withTables(consistent.tables().stream()
                .filter(t -> !t.name().equals("logs")).toList());

        assertProblem(broken, "function 'job-updater' accesses 'logs', which the topology does not define");
    }

    @Test
    void shouldReportAccess_whenFunctionUsesAnUndefinedKey() {
        Topology broken = consistent.withFunctions(consistent.functions().stream()
                .map(f -> !f.name().equals("reaper") ? f : new FunctionSpec(f.name(), f.handler(), f.memoryMb(),
                        f.timeoutSeconds(), f.triggers(), java.util.Set.of(new Access.KmsKeyAccess("other", Access.KeyUse.DECRYPT)),
                        f.extraEnvironment()))
                .toList());

        assertProblem(broken, "function 'reaper' accesses 'other', which the topology does not define");
    }

    @Test
    void shouldReportTrigger_whenFunctionHasNone() {
        Topology broken = mapFunction(consistent, "reaper", f -> f.withTriggers(List.of()));

        assertProblem(broken, "function 'reaper' has no trigger: nothing would ever invoke it");
    }

    @Test
    void shouldReportAMissingBusTargetsDlq_whenRulesExist() {
        Topology broken = consistent.withQueues(consistent.queues().stream()
                .filter(queue -> !queue.name().equals(Topology.BUS_TARGETS_DLQ)).toList());

        assertProblem(broken, "rules and schedules need the dead-letter queue 'bus-targets-dlq', which does not exist");
    }

    @Test
    void shouldReportAFifoBusTargetsDlq_whenEventBridgeNeedsAStandardOne() {
        Topology broken = mapQueue(consistent, Topology.BUS_TARGETS_DLQ, q -> QueueSpec.deadLetter(q.name(), true));

        assertProblem(broken, "queue 'bus-targets-dlq' must be a standard DEAD_LETTER queue "
                + "(EventBridge dead-letters only to standard queues)");
    }

    @Test
    void shouldReportAPeekAtAWorkQueue_whenOnlyDeadLettersMayBePeeked() {
        Topology broken = mapFunction(consistent, "api", f -> new FunctionSpec(f.name(), f.handler(), f.memoryMb(),
                f.timeoutSeconds(), f.triggers(), plusAccess(f.access(), new Access.QueuePeekAccess("jobs-default")),
                f.extraEnvironment()));

        assertProblem(broken, "function 'api' peeks at work queue 'jobs-default': only dead-letter and failure queues may be peeked");
    }

    private static java.util.Set<Access> plusAccess(java.util.Set<Access> access, Access more) {
        java.util.Set<Access> copy = new java.util.HashSet<>(access);
        copy.add(more);
        return copy;
    }

    private static void assertProblem(Topology topology, String expected) {
        List<String> problems = TopologyCheck.problems(topology);
        assertTrue(problems.contains(expected), "expected problem\n  " + expected + "\nbut got\n  "
                + String.join("\n  ", problems));
    }

    private static Topology mapFunction(Topology topology, String name, UnaryOperator<FunctionSpec> change) {
        return topology.withFunctions(topology.functions().stream()
                .map(f -> f.name().equals(name) ? change.apply(f) : f).toList());
    }

    private static Topology mapQueue(Topology topology, String name, UnaryOperator<QueueSpec> change) {
        return topology.withQueues(topology.queues().stream()
                .map(q -> q.name().equals(name) ? change.apply(q) : q).toList());
    }

    private static QueueSpec withDlq(QueueSpec queue, String dlqName, int maxReceiveCount) {
        return new QueueSpec(queue.name(), QueueRole.WORK, queue.fifo(), queue.contentBasedDeduplication(),
                queue.visibilityTimeoutSeconds(), queue.messageRetentionSeconds(), queue.receiveWaitSeconds(),
                dlqName, maxReceiveCount);
    }

    private static <T> List<T> plus(List<T> list, T element) {
        List<T> copy = new ArrayList<>(list);
        copy.add(element);
        return copy;
    }
}
