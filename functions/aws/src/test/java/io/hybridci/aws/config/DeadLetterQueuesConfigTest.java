package io.hybridci.aws.config;

import io.hybridci.core.deadletter.DeadLetterQueue;
import io.hybridci.topology.EnvironmentNames;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadLetterQueuesConfigTest {

    @Test
    void shouldReadQueuesInOrderWithTheirUrls_whenTheVariableIsSet() {
        DeadLetterQueuesConfig config = DeadLetterQueuesConfig.fromEnv(Map.of(EnvironmentNames.DEAD_LETTER_QUEUES,
                "{\"jobs-default-dlq\":{\"url\":\"http://127.0.0.1:9324/000000000000/jobs-default-dlq\",\"kind\":\"queue-redrive\","
                        + "\"deadLetterOf\":\"jobs-default\"},\"bus-targets-dlq\":{\"url\":\"u2\",\"kind\":\"bus-targets\","
                        + "\"deadLetterOf\":\"rule and schedule targets of bus hybridci\"}}")).orElseThrow();

        assertEquals(List.of(new DeadLetterQueue("jobs-default-dlq", "queue-redrive", "jobs-default"),
                new DeadLetterQueue("bus-targets-dlq", "bus-targets", "rule and schedule targets of bus hybridci")), config.queues());
        assertEquals("u2", config.queueUrls().get("bus-targets-dlq"));
    }

    @Test
    void shouldBeEmpty_whenTheVariableIsAbsent() {
        assertEquals(Optional.empty(), DeadLetterQueuesConfig.fromEnv(Map.of()));
    }

    @Test
    void shouldFailNamingTheVariable_whenMalformed() {
        IllegalStateException notJson = assertThrows(IllegalStateException.class, () -> DeadLetterQueuesConfig.parse("{"));
        IllegalStateException noUrl = assertThrows(IllegalStateException.class,
                () -> DeadLetterQueuesConfig.parse("{\"q\":{\"kind\":\"k\",\"deadLetterOf\":\"o\"}}"));

        assertTrue(notJson.getMessage().startsWith("DEAD_LETTER_QUEUES is not JSON"), notJson.getMessage());
        assertEquals("DEAD_LETTER_QUEUES: queue q lacks the string url", noUrl.getMessage());
    }
}
