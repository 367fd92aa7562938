package io.hybridci.api;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP request as the routes see it, independent of API Gateway's event class.
 *
 * @param method upper case
 * @param path the raw path, e.g. {@code /api/v1/builds/abc}
 * @param headers names lower-cased (HTTP header names are case-insensitive; API Gateway v2 lower-cases them too)
 * @param query query string parameters
 * @param body the decoded body, empty string when none
 * @param requestId API Gateway's request id (logs, default idempotency key)
 * @param claims the JWT claims API Gateway's authorizer verified ({@code requestContext.authorizer.jwt.claims});
 *               empty when no authorizer ran (the local cloud, the agent and webhook routes)
 */
public record HttpRequest(String method, String path, Map<String, String> headers, Map<String, String> query,
                          String body, String requestId, Map<String, String> claims) {
    public HttpRequest {
        method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
        Objects.requireNonNull(path, "path");
        headers = Map.copyOf(headers);
        query = Map.copyOf(query);
        body = body == null ? "" : body;
        Objects.requireNonNull(requestId, "requestId");
        claims = Map.copyOf(claims);
    }

    /** A request no authorizer has seen: no claims. */
    public HttpRequest(String method, String path, Map<String, String> headers, Map<String, String> query,
                       String body, String requestId) {
        this(method, path, headers, query, body, requestId, Map.of());
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public Optional<String> queryParameter(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** The token of an {@code Authorization: Bearer <token>} header, if there is one. */
    public Optional<String> bearerToken() {
        return header("authorization")
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).trim())
                .filter(token -> !token.isEmpty());
    }

    @Override
    public String toString() {  // headers carry bearer tokens: never print them
        return "HttpRequest[" + method + " " + path + ", requestId=" + requestId + "]";
    }
}
