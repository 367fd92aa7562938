package io.hybridci.agent;

import io.hybridci.core.security.Secret;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RegistrationTest {

    private static final Session SESSION = new Session("a-1", Secret.of("hca_x"), Secret.of("a2V5"));

    @Test
    void shouldPollEveryHighPriorityQueueFirst_whenTheControlPlaneHandsThemOut() {
        Map<String, String> queues = new LinkedHashMap<>();
        queues.put("default", "http://q/jobs-default");
        queues.put("linux", "http://q/jobs-linux");
        Registration registration = new Registration(SESSION, queues, "http://q/agent-updates.fifo", "us-east-1", null,
                10, 20, List.of("http://q/jobs-default-high", "http://q/jobs-linux-high"));

        assertEquals(List.of("http://q/jobs-default-high", "http://q/jobs-linux-high", "http://q/jobs-default",
                "http://q/jobs-linux"), registration.pollOrder());
    }

    @Test
    void shouldPollTheOrdinaryQueuesOnly_whenTheControlPlanePredatesPriorityQueues() {
        Registration registration = new Registration(SESSION, Map.of("default", "http://q/jobs-default"),
                "http://q/agent-updates.fifo", "us-east-1", null, 10, 20, List.of());

        assertEquals(List.of("http://q/jobs-default"), registration.pollOrder());
    }
}
