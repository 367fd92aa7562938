package io.hybridci.audit;

import io.hybridci.topology.EnvironmentNames;
import io.hybridci.topology.Topology;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditWriterWiringTest {

    @Test
    void shouldBuildTheWriterWithoutCallingAws_whenEveryVariableIsSet() {
        assertNotNull(AuditWriterHandler.fromEnvironment(completeEnvironment()));
    }

    @Test
    void shouldNameTheMissingVariable_whenTheAuditTableIsNotConfigured() {
        Map<String, String> env = completeEnvironment();
        env.remove(EnvironmentNames.AUDIT_TABLE);

        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> AuditWriterHandler.fromEnvironment(env));

        assertTrue(missing.getMessage().contains(EnvironmentNames.AUDIT_TABLE), missing.getMessage());
    }

    /** What the topology says the function needs, as CDK and the local cloud set it (clients are lazy: no call is made). */
    static Map<String, String> completeEnvironment() {
        Topology topology = Topology.standard();
        Map<String, String> env = new HashMap<>();
        for (String name : EnvironmentNames.requiredBy(topology.findFunction(Topology.AUDIT_WRITER).orElseThrow(), topology)) {
            env.put(name, "state");
        }
        env.put(EnvironmentNames.HYBRIDCI_FUNCTION, Topology.AUDIT_WRITER);
        env.put(EnvironmentNames.AWS_REGION, "eu-west-1");
        env.put(EnvironmentNames.AWS_ENDPOINT_URL, "http://127.0.0.1:1");
        return env;
    }
}
