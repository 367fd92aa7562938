package io.hybridci.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CI smoke run of {@code ./hybridci bench apiload}: a second JVM offers 20 requests a second for 2 s to the
 * user API and the agent routes of a local cloud in this JVM. Checks that every request was answered 200, never
 * a timing. Its own class, so its cloud (five builds left queued) never shares a JVM with another's.
 */
class ApiLoadSmokeIT {

    @TempDir
    Path temp;

    @Test
    void shouldAnswerEveryRouteWithoutError_whenApiLoadOffersTwentyRequestsASecondFromASecondProcess() throws Exception {
        Path json = temp.resolve("apiload.json");
        Map<String, Object> result = map(BenchMain.run(new BenchMain.Options("apiload", 1, 1, 2, 20, json)), "result");

        assertEquals(40, ((Number) result.get("offeredRequests")).intValue(), result.toString());
        assertEquals(40, ((Number) result.get("answered")).intValue(), "every request answered: " + result);
        assertEquals(0, ((Number) result.get("errors")).intValue(), "no 4xx, 5xx or transport error: " + result);
        Map<String, Object> routes = map(result, "routes");
        assertEquals(List.of("GET /api/v1/builds", "GET /api/v1/builds/{id}", "GET /api/v1/agents", "GET /api/v1/metrics",
                "POST /agent/v1/ping"), List.copyOf(routes.keySet()));
        for (Object figures : routes.values()) {
            @SuppressWarnings("unchecked") Map<String, Object> route = (Map<String, Object>) figures;
            assertEquals(8, ((Number) route.get("requests")).intValue(), route.toString());
            assertEquals(Map.of("200", 8), route.get("statuses"), route.toString());
            assertEquals(8, ((Number) map(route, "latencyMillis").get("samples")).intValue(), route.toString());
        }
        assertTrue(result.get("controlPlaneJvmCpuMillisPerRequest") instanceof Number, result.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertNotNull(value, key + " missing in " + parent.keySet());
        return (Map<String, Object>) value;
    }
}
