package io.hybridci.aws.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.port.JobDispatcher;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FunctionConfigTest {

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("HYBRIDCI_FUNCTION", "not-in-topology");
        env.put("STATE_TABLE", "state");
        env.put("JOB_QUEUE_URLS", "{\"default\":\"http://q/jobs-default\",\"linux\":\"http://q/jobs-linux\"}");
        return env;
    }

    @Test
    void shouldReadTablesAndQueueMap_whenEnvironmentIsComplete() {
        FunctionConfig config = FunctionConfig.fromEnv(env());

        assertEquals(Optional.of("state"), config.stateTable());
        assertEquals(Map.of("default", "http://q/jobs-default", "linux", "http://q/jobs-linux"), config.jobQueueUrls());
        assertEquals("system:not-in-topology", config.systemActor());
    }

    @Test
    void shouldReadThePriorityQueueMap_andNameItWhenMalformed() {
        var env = env();
        env.put("PRIORITY_JOB_QUEUE_URLS", "{\"default\":\"http://q/jobs-default-high\"}");
        assertEquals(Map.of("default", "http://q/jobs-default-high"), FunctionConfig.fromEnv(env).priorityJobQueueUrls());
        assertEquals(Map.of(), FunctionConfig.fromEnv(env()).priorityJobQueueUrls());

        env.put("PRIORITY_JOB_QUEUE_URLS", "[\"x\"]");
        var error = assertThrows(IllegalStateException.class, () -> FunctionConfig.fromEnv(env));
        assertTrue(error.getMessage().startsWith("PRIORITY_JOB_QUEUE_URLS"), error.getMessage());
    }

    @Test
    void shouldNameTheMissingVariable_whenRegionIsAbsent() {
        var env = env();
        env.remove("AWS_REGION");

        var error = assertThrows(IllegalStateException.class, () -> FunctionConfig.fromEnv(env));

        assertTrue(error.getMessage().contains("AWS_REGION"), error.getMessage());
    }

    @Test
    void shouldNameTheVariableTopologyRequires_whenFunctionLacksIt() {
        var env = env();
        env.put("HYBRIDCI_FUNCTION", "audit-writer");

        var error = assertThrows(IllegalStateException.class, () -> FunctionConfig.fromEnv(env));

        assertTrue(error.getMessage().contains("AUDIT_TABLE"), error.getMessage());
    }

    @Test
    void shouldRejectQueueMap_whenItIsNotAJsonObject() {
        var env = env();
        env.put("JOB_QUEUE_URLS", "[\"x\"]");

        var error = assertThrows(IllegalStateException.class, () -> FunctionConfig.fromEnv(env));

        assertTrue(error.getMessage().contains("JOB_QUEUE_URLS"), error.getMessage());
    }

    @Test
    void shouldFailNamingTheVariable_whenAnUnconfiguredPortIsUsed() {
        var env = env();
        env.remove("JOB_QUEUE_URLS");
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:1");
        var config = FunctionConfig.fromEnv(env);

        try (var clients = AwsClients.from(config)) {
            JobDispatcher dispatcher = Adapters.from(clients, config, Clock.systemUTC()).dispatcher();
            var error = assertThrows(IllegalStateException.class, () -> dispatcher.dispatch("default", "{}"));
            assertTrue(error.getMessage().contains("JOB_QUEUE_URLS"), error.getMessage());
        }
    }
}
