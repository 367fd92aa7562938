package io.hybridci.topology;

import io.hybridci.schema.RuleCatalog;
import io.hybridci.schema.RuleDefinition;
import io.hybridci.topology.KeyAttribute.AttributeType;
import io.hybridci.topology.Trigger.HttpRoute;
import io.hybridci.topology.Trigger.RotationTrigger;
import io.hybridci.topology.Trigger.RuleTrigger;
import io.hybridci.topology.Trigger.ScheduleTrigger;
import io.hybridci.topology.Trigger.SqsTrigger;
import io.hybridci.topology.Trigger.StreamTrigger;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopologyTest {

    private final Topology standard = Topology.standard();

    @Test
    void shouldHaveNoProblems_whenStandardWithDefaultQueue() {
        assertEquals(List.of(), TopologyCheck.problems(standard));
    }

    @Test
    void shouldHaveNoProblems_whenStandardWithSeveralAgentQueues() {
        Topology topology = Topology.standard(List.of("default", "linux-arm64", "deploy-prod"));

        assertEquals(List.of(), TopologyCheck.problems(topology));
        assertEquals(List.of("jobs-default", "jobs-default-high", "jobs-linux-arm64", "jobs-linux-arm64-high",
                        "jobs-deploy-prod", "jobs-deploy-prod-high"),
                topology.jobQueues().stream().map(QueueSpec::name).toList());
    }

    @Test
    void shouldDescribeEveryFunctionOfTheDesign_whenStandard() {
        assertEquals(Set.of("webhook-intake", "api", "build-planner", "state-reactor", "audit-writer",
                        "job-updater", "reaper", "secret-rotator", "github-status"),
                standard.functions().stream().map(FunctionSpec::name).collect(Collectors.toSet()));
        assertEquals("io.hybridci.reactor.StateReactorHandler", standard.function("state-reactor").handler());
    }

    @Test
    void shouldWireEveryCatalogRuleToItsTarget_whenStandard() {
        List<RuleDefinition> rules = RuleCatalog.load();

        assertFalse(rules.isEmpty(), "events-schema defines no rule");
        for (RuleDefinition rule : rules) {
            assertTrue(standard.function(rule.target()).triggers().contains(new RuleTrigger(rule.name())),
                    rule.name() + " is not wired to " + rule.target());
        }
        assertEquals(rules, standard.rules());
    }

    @Test
    void shouldGiveGithubStatusItsRuleSecretAndApiUrl_whenStandard() {
        FunctionSpec status = standard.function("github-status");

        assertEquals("io.hybridci.status.GithubStatusHandler", status.handler());
        assertEquals(List.of(new RuleTrigger("build-state-changed"), new RuleTrigger("job-state-changed")),
                status.triggersOf(RuleTrigger.class));
        assertEquals(Set.of(new Access.TableAccess("state", Access.DataAccess.READ),
                new Access.SecretAccess("hybridci/github-token", Access.SecretUse.READ)), status.access());
        assertEquals("https://api.github.com", status.extraEnvironment().get(EnvironmentNames.GITHUB_API_URL));
        assertTrue(EnvironmentNames.requiredBy(status, standard).contains(EnvironmentNames.GITHUB_TOKEN_SECRET_ID));
    }

    @Test
    void shouldRouteWebhookAndApiPaths_whenStandard() {
        assertEquals(List.of(new HttpRoute("POST", "/webhooks/github")),
                standard.function("webhook-intake").triggersOf(HttpRoute.class));
        assertEquals(List.of("ANY /api/v1/{proxy+}", "ANY /agent/v1/{proxy+}"),
                standard.function("api").triggersOf(HttpRoute.class).stream().map(HttpRoute::routeKey).toList());
    }

    @Test
    void shouldConsumeStateStreamWithBoundedRetriesAndOnFailureQueue_whenStreamHandlers() {
        StreamTrigger reactor = standard.function("state-reactor").triggersOf(StreamTrigger.class).getFirst();
        StreamTrigger audit = standard.function("audit-writer").triggersOf(StreamTrigger.class).getFirst();

        assertAll(
                () -> assertEquals(new StreamTrigger("state", 100, Trigger.StartingPosition.TRIM_HORIZON, 5, true,
                        "state-reactor-failures", true), reactor),
                () -> assertEquals("audit-writer-failures", audit.onFailureQueue()),
                () -> assertEquals(100, audit.batchSize()),
                () -> assertTrue(audit.bisectOnError()));
    }

    @Test
    void shouldUseFifoAgentUpdatesWithFifoDlqAndSixfoldVisibility_whenJobUpdater() {
        QueueSpec updates = standard.queue("agent-updates");
        FunctionSpec updater = standard.function("job-updater");

        assertAll(
                () -> assertTrue(updates.fifo()),
                () -> assertEquals("agent-updates.fifo", updates.physicalName()),
                () -> assertEquals("agent-updates-dlq.fifo", standard.queue(updates.dlqName()).physicalName()),
                () -> assertEquals(List.of(new SqsTrigger("agent-updates", 10, 0, true)),
                        updater.triggersOf(SqsTrigger.class)),
                () -> assertTrue(updates.visibilityTimeoutSeconds() >= 6 * updater.timeoutSeconds()));
    }

    @Test
    void shouldLetOnlyJobUpdaterSendToADeadLetterQueue_andOnlyToAgentUpdatesDlq() {
        Map<String, List<String>> sendersToDeadLetterQueues = new java.util.TreeMap<>();
        for (FunctionSpec function : standard.functions()) {
            for (Access access : function.access()) {
                if (access instanceof Access.QueueSendAccess send
                        && standard.queue(send.queue()).role() != QueueSpec.QueueRole.WORK) {
                    sendersToDeadLetterQueues.computeIfAbsent(function.name(), _ -> new java.util.ArrayList<>()).add(send.queue());
                }
            }
        }

        assertEquals(Map.of("job-updater", List.of("agent-updates-dlq")), sendersToDeadLetterQueues,
                "job-updater keeps the agent messages it rejects; nothing else writes to a DLQ");
        assertEquals("AGENT_UPDATES_DLQ_QUEUE_URL", EnvironmentNames.forQueue("agent-updates-dlq"));
        assertTrue(EnvironmentNames.requiredBy(standard.function("job-updater"), standard)
                .contains(EnvironmentNames.AGENT_UPDATES_DLQ_QUEUE_URL));
    }

    @Test
    void shouldGiveEachJobQueueAStandardDlq_whenStandard() {
        QueueSpec jobs = standard.queue("jobs-default");

        assertFalse(jobs.fifo());
        assertEquals("jobs-default-dlq", jobs.dlqName());
        assertEquals(QueueSpec.QueueRole.DEAD_LETTER, standard.queue("jobs-default-dlq").role());
        assertTrue(jobs.maxReceiveCount() >= 1);
    }

    @Test
    void shouldKeepEventsNoBusTargetAcceptedInAStandardDlqForFourteenDays_whenStandard() {
        QueueSpec dlq = standard.queue(Topology.BUS_TARGETS_DLQ);

        assertEquals(QueueSpec.QueueRole.DEAD_LETTER, dlq.role());
        assertFalse(dlq.fifo());
        assertEquals(QueueSpec.FOURTEEN_DAYS_SECONDS, dlq.messageRetentionSeconds());
        assertEquals("bus-targets-dlq", dlq.physicalName());
    }

    @Test
    void shouldListEveryDeadLetterAndFailureQueueWithWhatItKeeps_whenStandard() {
        assertEquals(List.of(
                        new DeadLetterSource("jobs-default-dlq", DeadLetterSource.Kind.QUEUE_REDRIVE, "jobs-default"),
                        new DeadLetterSource("jobs-default-high-dlq", DeadLetterSource.Kind.QUEUE_REDRIVE, "jobs-default-high"),
                        new DeadLetterSource("agent-updates-dlq", DeadLetterSource.Kind.QUEUE_REDRIVE, "agent-updates"),
                        new DeadLetterSource("state-reactor-failures", DeadLetterSource.Kind.STREAM_ON_FAILURE,
                                "state-reactor on the stream of state"),
                        new DeadLetterSource("audit-writer-failures", DeadLetterSource.Kind.STREAM_ON_FAILURE,
                                "audit-writer on the stream of state"),
                        new DeadLetterSource("bus-targets-dlq", DeadLetterSource.Kind.BUS_TARGETS,
                                "rule and schedule targets of bus hybridci")),
                standard.deadLetterQueues());
    }

    @Test
    void shouldLetTheApiPeekAtExactlyTheDeadLetterQueues_whenStandard() {
        java.util.Set<String> peeked = standard.function(Topology.API).access().stream()
                .filter(access -> access instanceof Access.QueuePeekAccess)
                .map(Access::resource).collect(java.util.stream.Collectors.toSet());

        assertEquals(standard.deadLetterQueues().stream().map(DeadLetterSource::queue)
                .collect(java.util.stream.Collectors.toSet()), peeked);
        assertTrue(EnvironmentNames.requiredBy(standard.function(Topology.API), standard)
                .contains(EnvironmentNames.DEAD_LETTER_QUEUES));
        assertTrue(standard.functions().stream().filter(function -> !function.name().equals(Topology.API))
                .noneMatch(function -> function.access().stream().anyMatch(access -> access instanceof Access.QueuePeekAccess)),
                "only the api peeks");
    }

    @Test
    void shouldGiveEachAgentQueueAHighPriorityTwinLikeItsJobQueue_whenStandard() {
        QueueSpec jobs = standard.queue("jobs-default");
        QueueSpec high = standard.queue("jobs-default-high");

        assertEquals("jobs-default-high-dlq", high.dlqName());
        assertEquals(QueueSpec.QueueRole.DEAD_LETTER, standard.queue("jobs-default-high-dlq").role());
        assertEquals(List.of(jobs.fifo(), jobs.visibilityTimeoutSeconds(), jobs.messageRetentionSeconds(),
                        jobs.receiveWaitSeconds(), jobs.maxReceiveCount()),
                List.of(high.fifo(), high.visibilityTimeoutSeconds(), high.messageRetentionSeconds(),
                        high.receiveWaitSeconds(), high.maxReceiveCount()));
        assertTrue(Topology.isPriorityJobQueue("jobs-default-high"));
        assertFalse(Topology.isPriorityJobQueue("jobs-high"), "agent queue 'high' has an ordinary queue");
        assertEquals("high", Topology.agentQueueOf("jobs-high"));
        assertEquals("default", Topology.agentQueueOf("jobs-default-high"));
        assertEquals(EnvironmentNames.PRIORITY_JOB_QUEUE_URLS, EnvironmentNames.forQueue("jobs-default-high"));
        assertEquals(EnvironmentNames.JOB_QUEUE_URLS, EnvironmentNames.forQueue("jobs-high"));
    }

    @Test
    void shouldLetTheDispatchersSendToBothBands_andTheApiHandOutBoth_whenStandard() {
        for (String function : List.of("state-reactor", "reaper")) {
            assertTrue(standard.function(function).access().contains(new Access.QueueSendAccess("jobs-default-high")), function);
            assertTrue(EnvironmentNames.requiredBy(standard.function(function), standard)
                    .contains(EnvironmentNames.PRIORITY_JOB_QUEUE_URLS), function);
        }
        assertTrue(standard.function("api").access().contains(new Access.QueueUrlOnly("jobs-default-high")));
    }

    @Test
    void shouldDescribeTheThreeTables_whenStandard() {
        TableSpec state = standard.table("state");
        TableSpec audit = standard.table("audit");
        TableSpec logs = standard.table("logs");

        assertAll(
                () -> assertEquals(new KeyAttribute("pk", AttributeType.S), state.partitionKey()),
                () -> assertEquals(List.of("gsi1", "gsi2"),
                        state.globalSecondaryIndexes().stream().map(TableSpec.Gsi::name).toList()),
                () -> assertTrue(state.streamNewAndOldImages()),
                () -> assertEquals("expiresAt", state.ttlAttribute()),
                () -> assertEquals(new KeyAttribute("seq", AttributeType.N), audit.sortKey()),
                () -> assertFalse(audit.streamNewAndOldImages()),
                () -> assertEquals(null, audit.ttlAttribute()),
                () -> assertEquals(new KeyAttribute("jobId", AttributeType.S), logs.partitionKey()),
                () -> assertEquals("expiresAt", logs.ttlAttribute()));
    }

    @Test
    void shouldScheduleReaperEveryMinuteAndRotateBothSecrets_whenStandard() {
        assertEquals(List.of(new ScheduleTrigger("reaper-every-minute", "rate(1 minute)")),
                standard.function("reaper").triggersOf(ScheduleTrigger.class));
        assertEquals(Set.of("hybridci/github-webhook", "hybridci/registration-token"),
                standard.function("secret-rotator").triggersOf(RotationTrigger.class).stream()
                        .map(RotationTrigger::secretName).collect(Collectors.toSet()));
    }

    @Test
    void shouldFinishOverdueWebhookRotationsOnTheRotatorsSchedule_whenStandard() {
        assertEquals(List.of(new ScheduleTrigger("rotation-grace-every-15-minutes", "rate(15 minutes)")),
                standard.function("secret-rotator").triggersOf(ScheduleTrigger.class));
        assertTrue(standard.function("secret-rotator").timeoutSeconds() < 15 * 60);
    }

    @Test
    void shouldLetTheApiRotateOnlyTheWebhookSecret_whenAdminsRotateThroughIt() {
        Set<Access> api = standard.function("api").access();

        assertTrue(api.contains(new Access.SecretAccess("hybridci/github-webhook", Access.SecretUse.ROTATE)));
        assertFalse(api.contains(new Access.SecretAccess("hybridci/registration-token", Access.SecretUse.ROTATE)));
        assertFalse(api.contains(new Access.SecretAccess("hybridci/admin-token", Access.SecretUse.ROTATE)));
    }

    @Test
    void shouldGiveTheRotatorTheStateTable_whenItSetsRegistrationTokenHashes() {
        assertTrue(standard.function("secret-rotator").access()
                .contains(new Access.TableAccess("state", Access.DataAccess.READ_WRITE)));
        assertTrue(EnvironmentNames.requiredBy(standard.function("secret-rotator"), standard).contains("STATE_TABLE"));
    }

    @Test
    void shouldFinishReaperBeforeItsNextRun_whenScheduledEveryMinute() {
        assertTrue(standard.function("reaper").timeoutSeconds() < 60);
    }

    @Test
    void shouldNameTheKnownOnes_whenLookupMisses() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> standard.queue("jobs-gpu"));

        assertTrue(missing.getMessage().contains("jobs-gpu"), missing.getMessage());
        assertTrue(missing.getMessage().contains("jobs-default"), missing.getMessage());
    }

    @Test
    void shouldDeriveEnvironmentFromAccess_whenFunctionReadsResources() {
        assertEquals(Set.of("HYBRIDCI_FUNCTION", "STATE_TABLE", "EVENT_BUS_NAME", "JOB_QUEUE_URLS",
                        "PRIORITY_JOB_QUEUE_URLS"),
                EnvironmentNames.requiredBy(standard.function("state-reactor"), standard));
        assertEquals(Set.of("HYBRIDCI_FUNCTION", "STATE_TABLE", "AUDIT_TABLE", "LOGS_TABLE", "EVENT_BUS_NAME",
                        "JOB_QUEUE_URLS", "PRIORITY_JOB_QUEUE_URLS", "AGENT_UPDATES_QUEUE_URL", "REGISTRATION_TOKEN_SECRET_ID",
                        "ADMIN_TOKEN_SECRET_ID", "WEBHOOK_SECRET_ID", "SIGNING_KEY_ID", "DEAD_LETTER_QUEUES"),
                EnvironmentNames.requiredBy(standard.function("api"), standard));
        assertEquals(Set.of("HYBRIDCI_FUNCTION", "STATE_TABLE", "EVENT_BUS_NAME", "WEBHOOK_SECRET_ID"),
                EnvironmentNames.requiredBy(standard.function("webhook-intake"), standard));
    }

    @Test
    void shouldGiveTheSigningKeyOnlyToSessionReaders_whenStandard() {
        // api issues sessions (encrypts) and reads them back (decrypts); job-updater only verifies signatures.
        assertTrue(standard.function("api").access()
                .contains(new Access.KmsKeyAccess(Topology.SIGNING_KEY, Access.KeyUse.ENCRYPT_DECRYPT)));
        assertTrue(standard.function("job-updater").access()
                .contains(new Access.KmsKeyAccess(Topology.SIGNING_KEY, Access.KeyUse.DECRYPT)));
        Set<String> withKey = standard.functions().stream()
                .filter(function -> function.access().stream().anyMatch(Access.KmsKeyAccess.class::isInstance))
                .map(FunctionSpec::name).collect(Collectors.toSet());
        assertEquals(Set.of("api", "job-updater"), withKey);
        assertTrue(EnvironmentNames.requiredBy(standard.function("job-updater"), standard)
                .contains(EnvironmentNames.SIGNING_KEY_ID));
        assertEquals("SIGNING_KEY_ID", EnvironmentNames.forKey(Topology.SIGNING_KEY));
    }

    @Test
    void shouldUseTheBusNamedHybridci_whenStandard() {
        assertEquals("hybridci", standard.eventBusName());
    }
}
