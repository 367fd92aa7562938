package io.hybridci.local.runtime;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpRouteTableTest {

    private final HttpRouteTable<String> routes = new HttpRouteTable<String>()
            .add("POST", "/webhooks/github", "intake")
            .add("GET", "/api/v1/builds/{id}", "build")
            .add("GET", "/api/v1/builds/latest", "latest")
            .add("POST", "/agent/v1/jobs/{id}/accept", "accept")
            .add("ANY", "/api/{proxy+}", "api-any")
            .add("GET", "/api/{proxy+}", "api-get")
            .add("GET", "/", "root");

    @Test
    void shouldPreferLiteralPath_whenParameterRouteAlsoMatches() {
        assertEquals("latest", routes.match("GET", "/api/v1/builds/latest").orElseThrow().target());
        var match = routes.match("GET", "/api/v1/builds/b-42").orElseThrow();
        assertEquals("build", match.target());
        assertEquals("GET /api/v1/builds/{id}", match.routeKey());
        assertEquals(Map.of("id", "b-42"), match.pathParameters());
    }

    @Test
    void shouldBindMiddleParameter_whenLiteralSegmentsFollow() {
        var match = routes.match("POST", "/agent/v1/jobs/j%201/accept").orElseThrow();
        assertEquals("accept", match.target());
        assertEquals(Map.of("id", "j 1"), match.pathParameters());
    }

    @Test
    void shouldMatchGreedyVariableWithSlashes_whenNoMoreSpecificRoute() {
        var match = routes.match("DELETE", "/api/v2/things/1").orElseThrow();
        assertEquals("api-any", match.target());
        assertEquals(Map.of("proxy", "v2/things/1"), match.pathParameters());
        assertEquals("ANY /api/{proxy+}", match.routeKey());
    }

    @Test
    void shouldPreferExactMethod_whenAnyRouteHasTheSamePath() {
        assertEquals("api-get", routes.match("GET", "/api/v2/x").orElseThrow().target());
    }

    @Test
    void shouldNotMatchGreedyVariable_whenNothingFollowsThePrefix() {
        assertTrue(routes.match("PUT", "/api").isEmpty());
        assertTrue(routes.match("PUT", "/api/").isEmpty());
    }

    @Test
    void shouldNotMatch_whenMethodOrSegmentCountDiffers() {
        assertTrue(routes.match("GET", "/webhooks/github").isEmpty());
        assertTrue(routes.match("POST", "/webhooks/github/extra").isEmpty());
        assertEquals("api-get", routes.match("GET", "/api/v1/builds").orElseThrow().target()); // only the greedy route fits
        assertEquals("root", routes.match("GET", "/").orElseThrow().target());
    }

    @Test
    void shouldRejectGreedyVariableInTheMiddle_whenAddingARoute() {
        assertThrows(IllegalArgumentException.class, () -> new HttpRouteTable<String>().add("GET", "/a/{p+}/b", "x"));
        assertThrows(IllegalArgumentException.class, () -> routes.add("POST", "/webhooks/github", "again"));
    }
}
