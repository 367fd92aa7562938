package io.hybridci.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.reaction.ContendedWriteException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the router answers what a handler throws: never a stack trace, a 5xx only for the unexpected. */
class RouterTest {

    private static HttpResponse answer(RuntimeException thrown) {
        Router router = new Router(List.of(new Router.Route("POST", "/agent/v1/ping", (request, parameters) -> {
            throw thrown;
        })));
        return router.route(new HttpRequest("POST", "/agent/v1/ping", Map.of(), Map.of(), "{}", "req-1"));
    }

    @Test
    void shouldAnswer409Contended_whenTheWriteKeptLosingItsRace() {
        HttpResponse response = answer(new ContendedWriteException("agent a-1 kept changing; gave up after 5 conditional writes; try again"));

        assertEquals(409, response.status());
        assertTrue(response.body().contains("\"error\":\"contended\""), response.body());
        assertTrue(response.body().contains("try again"), response.body());
    }

    @Test
    void shouldAnswer500WithTheRequestIdAndNoDetail_whenTheFailureIsUnexpected() {
        HttpResponse response = answer(new IllegalStateException("secret detail"));

        assertEquals(500, response.status());
        assertTrue(response.body().contains("req-1"), response.body());
        assertTrue(!response.body().contains("secret detail"), "the exception's message stays in the log: " + response.body());
    }
}
