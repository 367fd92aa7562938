package io.hybridci.local.runtime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpApiPayloadsTest {

    private static final Instant RECEIVED_AT = Instant.parse("2020-03-12T19:03:58Z");

    private static APIGatewayV2HTTPEvent fixture(String name) throws Exception {
        try (InputStream in = HttpApiPayloadsTest.class.getResourceAsStream("/events/apigw/" + name)) {
            return LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, HttpApiPayloadsTest.class.getClassLoader())
                    .fromJson(in);
        }
    }

    private static HttpApiPayloads.IncomingRequest request(String method, String rawPath, String rawQuery,
                                                           Map<String, List<String>> headers, String body) {
        return new HttpApiPayloads.IncomingRequest(method, rawPath, rawQuery, "HTTP/1.1", "127.0.0.1", "127.0.0.1:8080",
                headers, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldBuildTheEventApiGatewaySends_whenJsonPostArrives() throws Exception {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("User-Agent", List.of("GitHub-Hookshot/044aadd"));
        headers.put("X-GitHub-Event", List.of("push"));
        headers.put("X-Multi", List.of("one", "two"));
        headers.put("Cookie", List.of("c1=v1; c2=v2"));
        headers.put("Host", List.of("127.0.0.1:8080"));

        APIGatewayV2HTTPEvent built = HttpApiPayloads.toEvent(
                request("POST", "/webhooks/git%20hub", "a=1&a=2&b=hello%20world", headers, "{\"ref\":\"refs/heads/main\"}"),
                "POST /webhooks/{source}", Map.of("source", "git hub"), "JKJaXmPLvHcESHA=", RECEIVED_AT);

        APIGatewayV2HTTPEvent expected = fixture("http-api-v2-post-json.json");
        // The event classes have value equality (Lombok @Data), so this compares every field, nested ones included.
        assertEquals(expected.getHeaders(), built.getHeaders());
        assertEquals(expected.getRequestContext(), built.getRequestContext());
        assertEquals(expected, built);
    }

    @Test
    void shouldBase64EncodeBody_whenContentTypeIsFormUrlEncodedOrBinary() {
        String form = "payload=%7B%22zen%22%3A%22hi%22%7D";
        for (String contentType : List.of("application/x-www-form-urlencoded", "application/octet-stream")) {
            APIGatewayV2HTTPEvent event = HttpApiPayloads.toEvent(
                    request("POST", "/webhooks/github", null, Map.of("Content-Type", List.of(contentType)), form),
                    "POST /webhooks/github", Map.of(), "id", RECEIVED_AT);
            assertTrue(event.getIsBase64Encoded(), contentType);
            assertEquals(form, new String(Base64.getDecoder().decode(event.getBody()), StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldPassBodyAsText_whenContentTypeIsTextual() {
        for (String contentType : List.of("text/plain; charset=utf-8", "application/json; charset=utf-8", "application/xml")) {
            APIGatewayV2HTTPEvent event = HttpApiPayloads.toEvent(
                    request("PUT", "/x", "", Map.of("content-type", List.of(contentType)), "<ok/>"),
                    "PUT /x", Map.of(), "id", RECEIVED_AT);
            assertFalse(event.getIsBase64Encoded(), contentType);
            assertEquals("<ok/>", event.getBody());
        }
    }

    @Test
    void shouldLeaveOptionalFieldsNull_whenRequestHasNoBodyQueryCookiesOrParameters() {
        APIGatewayV2HTTPEvent event = HttpApiPayloads.toEvent(
                request("get", "/api/v1/builds", null, Map.of("Accept", List.of("*/*")), null),
                "GET /api/v1/builds", Map.of(), "id", RECEIVED_AT);
        assertNull(event.getBody());
        assertFalse(event.getIsBase64Encoded());
        assertNull(event.getCookies());
        assertNull(event.getQueryStringParameters());
        assertNull(event.getPathParameters());
        assertEquals("", event.getRawQueryString());
        assertEquals("GET", event.getRequestContext().getHttp().getMethod());
        assertEquals("*/*", event.getHeaders().get("accept"));
    }
}
