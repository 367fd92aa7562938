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

class MonitoringTest {

    private static long alarmsOn(String metric) {
        return SynthesizedStack.properties("AWS::CloudWatch::Alarm").values().stream()
                .filter(alarm -> metric.equals(alarm.get("MetricName"))).count();
    }

    @Test
    void shouldAlarmOnEveryDeadLetterAndFailureQueue_whenMessagesAreVisible() {
        long queues = topology().queues().stream().filter(queue -> queue.role() != QueueRole.WORK).count() + 1;

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
