package io.hybridci.infra;

import io.hybridci.topology.QueueSpec.QueueRole;
import io.hybridci.topology.Trigger.StreamTrigger;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.hybridci.infra.SynthesizedStack.template;
import static io.hybridci.infra.SynthesizedStack.topology;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MonitoringTest {

    private static long alarmsOn(String metric) {
        return SynthesizedStack.properties("AWS::CloudWatch::Alarm").values().stream()
                .filter(alarm -> metric.equals(alarm.get("MetricName"))).count();
    }

    @Test
    void shouldAlarmOnEveryDeadLetterAndFailureQueue_whenMessagesAreVisible() {
        long queues = topology().queues().stream().filter(queue -> queue.role() != QueueRole.WORK).count();
        assertTrue(topology().findQueue(io.hybridci.topology.Topology.BUS_TARGETS_DLQ).isPresent(), "the bus targets' DLQ is among them");

        assertEquals(queues, alarmsOn("ApproximateNumberOfMessagesVisible"));
    }

    @Test
    void shouldAlarmOnErrorsOfEveryFunctionAndIteratorAgeOfStreamConsumers_whenSynthesized() {
        assertEquals(topology().functions().size(), alarmsOn("Errors"));
        assertEquals(topology().functions().stream()
                .filter(function -> !function.triggersOf(StreamTrigger.class).isEmpty()).count(), alarmsOn("IteratorAge"));
    }

    @Test
    void shouldAlarmOnTheOldestJobOfEveryJobQueue_whenSynthesized() {
        assertEquals(topology().jobQueues().size(), alarmsOn("ApproximateAgeOfOldestMessage"));
    }

    /** Alarms whose metric is {@code metric} of the EMF namespace, directly or inside a metric-math expression. */
    private static List<Map<String, Object>> emfAlarmsOn(String metric) {
        return SynthesizedStack.properties("AWS::CloudWatch::Alarm").values().stream()
                .filter(alarm -> usesEmfMetric(alarm, metric)).toList();
    }

    private static boolean usesEmfMetric(Map<String, Object> alarm, String metric) {
        if (metric.equals(alarm.get("MetricName"))) {
            return Monitoring.EMF_NAMESPACE.equals(alarm.get("Namespace"));
        }
        Object queries = alarm.get("Metrics");
        if (queries == null) {
            return false;
        }
        return SynthesizedStack.list(queries).stream()
                .map(query -> SynthesizedStack.map(query.get("MetricStat")))
                .filter(java.util.Objects::nonNull)
                .map(stat -> SynthesizedStack.map(stat.get("Metric")))
                .anyMatch(m -> metric.equals(m.get("MetricName")) && Monitoring.EMF_NAMESPACE.equals(m.get("Namespace")));
    }

    private static String queueDimension(Map<String, Object> alarm) {
        List<Map<String, Object>> dimensions = SynthesizedStack.list(alarm.get("Dimensions"));
        assertEquals(1, dimensions.size(), "one dimension, the agent queue");
        assertEquals(Monitoring.EMF_QUEUE_DIMENSION, dimensions.getFirst().get("Name"));
        return (String) dimensions.getFirst().get("Value");
    }

    @Test
    void shouldAlarmOnQueueWaitP95OfEveryAgentQueue_whenSynthesized() {
        List<Map<String, Object>> alarms = emfAlarmsOn(Monitoring.QUEUE_WAIT);

        assertEquals(topology().agentQueues(), alarms.stream().map(MonitoringTest::queueDimension).sorted().toList());
        for (Map<String, Object> alarm : alarms) {
            assertEquals("p95", alarm.get("ExtendedStatistic"));
            assertEquals(Monitoring.EMF_PERIOD_MINUTES * 60, alarm.get("Period"));
            assertEquals(Monitoring.QUEUE_WAIT_P95_MINUTES * 60_000, ((Number) alarm.get("Threshold")).intValue());
            assertEquals(Monitoring.EMF_EVALUATION_PERIODS, alarm.get("EvaluationPeriods"));
            assertEquals(Monitoring.EMF_EVALUATION_PERIODS, alarm.get("DatapointsToAlarm"));
        }
    }

    @Test
    void shouldAlarmOnWebhookToQueuedP95OfEveryAgentQueue_whenSynthesized() {
        List<Map<String, Object>> alarms = emfAlarmsOn(Monitoring.WEBHOOK_TO_QUEUED);

        assertEquals(topology().agentQueues(), alarms.stream().map(MonitoringTest::queueDimension).sorted().toList());
        for (Map<String, Object> alarm : alarms) {
            assertEquals("p95", alarm.get("ExtendedStatistic"));
            assertEquals(Monitoring.WEBHOOK_TO_QUEUED_P95_SECONDS * 1000, ((Number) alarm.get("Threshold")).intValue());
        }
    }

    @Test
    void shouldAlarmOnTheShareOfFailedJobsOfEveryAgentQueue_whenSynthesized() {
        List<Map<String, Object>> alarms = emfAlarmsOn(Monitoring.JOBS_FAILED);

        assertEquals(topology().agentQueues().size(), alarms.size());
        for (Map<String, Object> alarm : alarms) {
            List<Map<String, Object>> queries = SynthesizedStack.list(alarm.get("Metrics"));
            Map<String, Object> expression = queries.stream().filter(query -> query.containsKey("Expression")).findFirst().orElseThrow();
            assertEquals("IF(failed >= " + Monitoring.JOB_FAILURE_MINIMUM + ", 100 * failed / (failed + FILL(passed, 0)), 0)",
                    expression.get("Expression"));
            assertEquals(true, expression.get("ReturnData"));
            assertEquals(Monitoring.JOB_FAILURE_PERCENT, ((Number) alarm.get("Threshold")).intValue());
            // Both counts are summed per period of the agent queue: the rate's numerator and denominator.
            assertTrue(usesEmfMetric(alarm, Monitoring.JOBS_PASSED));
            for (Map<String, Object> query : queries) {
                if (query.containsKey("MetricStat")) {
                    Map<String, Object> stat = SynthesizedStack.map(query.get("MetricStat"));
                    assertEquals("Sum", stat.get("Stat"));
                    assertEquals(Monitoring.EMF_PERIOD_MINUTES * 60, stat.get("Period"));
                    assertEquals(false, query.get("ReturnData"));
                }
            }
        }
    }

    @Test
    void shouldShowTheEmfMetricsOnTheCloudWatchDashboard_whenSynthesized() {
        String body = SynthesizedStack.properties("AWS::CloudWatch::Dashboard").values().iterator().next()
                .get("DashboardBody").toString();

        for (String metric : List.of(Monitoring.QUEUE_WAIT, Monitoring.JOB_DURATION, Monitoring.JOBS_PASSED,
                Monitoring.JOBS_FAILED, Monitoring.WEBHOOK_TO_QUEUED)) {
            assertTrue(body.contains("\"" + Monitoring.EMF_NAMESPACE + "\",\"" + metric + "\""), metric + " is on the dashboard");
        }
    }

    @Test
    void shouldNotifyTheTopicAndTreatIdleAsOk_whenAnyAlarm() {
        for (Map<String, Object> alarm : SynthesizedStack.properties("AWS::CloudWatch::Alarm").values()) {
            assertEquals("notBreaching", alarm.get("TreatMissingData"));
            List<Map<String, Object>> actions = SynthesizedStack.list(alarm.get("AlarmActions"));
            assertFalse(actions.isEmpty());
            assertEquals(Map.of("Ref", actions.getFirst().get("Ref")), actions.getFirst());
        }
    }

    @Test
    void shouldSubscribeTheContextEmailAndBuildOneDashboard_whenAlarmEmailIsSet() {
        template().hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Protocol", "email", "Endpoint", SynthesizedStack.ALARM_EMAIL));
        template().resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    }
}
