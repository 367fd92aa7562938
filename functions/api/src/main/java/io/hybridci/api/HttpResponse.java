package io.hybridci.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Objects;

/**
 * An HTTP response: status, headers and a JSON body (or none).
 *
 * @param body JSON text, or {@code null} for no body (204)
 */
public record HttpResponse(int status, Map<String, String> headers, String body) {

    private static final Map<String, String> JSON_HEADERS = Map.of(
            "content-type", "application/json",
            // Answers carry build data and new tokens: no cache or proxy may keep them.
            "cache-control", "no-store");

    public HttpResponse {
        headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
    }

    public static HttpResponse json(int status, JsonNode body) {
        return new HttpResponse(status, JSON_HEADERS, body.toString());
    }

    public static HttpResponse noContent() {
        return new HttpResponse(204, Map.of("cache-control", "no-store"), null);
    }

    /** {@code {"error": code, "message": message}}. */
    public static HttpResponse error(int status, String code, String message) {
        ObjectNode body = Json.object();
        body.put("error", code);
        body.put("message", message);
        return json(status, body);
    }

    /** The same response with one more header. */
    public HttpResponse withHeader(String name, String value) {
        java.util.Map<String, String> more = new java.util.HashMap<>(headers);
        more.put(name, value);
        return new HttpResponse(status, more, body);
    }
}
