package io.hybridci.reactor;

import io.hybridci.topology.EnvironmentNames;
import io.hybridci.topology.Topology;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateReactorWiringTest {

    @Test
    void shouldBuildTheReactorWithoutCallingAws_whenEveryVariableIsSet() {
        assertNotNull(StateReactorHandler.fromEnvironment(completeEnvironment()));
    }

    @Test
    void shouldNameTheMissingVariable_whenTheStateTableIsNotConfigured() {
        Map<String, String> env = completeEnvironment();
        env.remove(EnvironmentNames.STATE_TABLE);

        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> StateReactorHandler.fromEnvironment(env));

        assertTrue(missing.getMessage().contains(EnvironmentNames.STATE_TABLE), missing.getMessage());
    }

    /** What the topology says the function needs, as CDK and the local cloud set it (clients are lazy: no call is made). */
    static Map<String, String> completeEnvironment() {
        Topology topology = Topology.standard();
        Map<String, String> env = new HashMap<>();
        for (String name : EnvironmentNames.requiredBy(topology.findFunction(Topology.STATE_REACTOR).orElseThrow(), topology)) {
            env.put(name, "state");
        }
        env.put(EnvironmentNames.HYBRIDCI_FUNCTION, Topology.STATE_REACTOR);
        env.put(EnvironmentNames.JOB_QUEUE_URLS, "{\"default\":\"http://127.0.0.1:9324/000000000000/jobs-default\"}");
        env.put(EnvironmentNames.PRIORITY_JOB_QUEUE_URLS, "{\"default\":\"http://127.0.0.1:9324/000000000000/jobs-default-high\"}");
        env.put(EnvironmentNames.AWS_REGION, "eu-west-1");
        env.put(EnvironmentNames.AWS_ENDPOINT_URL, "http://127.0.0.1:1");
        return env;
    }
}
