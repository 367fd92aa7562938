package io.hybridci.local.runtime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the API Gateway HTTP API payload format 2.0 event for a request, field by field as API Gateway
 * does (<a href="https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html">payload
 * format 2.0</a>): header names lower-cased and repeated headers joined with commas; {@code Cookie} headers moved
 * into {@code cookies}; repeated query parameters joined with commas; no path parameters means {@code null}; the
 * body passed as text only for {@code text/*}, {@code application/json}, {@code application/xml} and
 * {@code application/javascript}, and base64-encoded otherwise — including {@code application/x-www-form-urlencoded}
 * and a missing content type, which is what a real HTTP API does.
 */
public final class HttpApiPayloads {

    /** The time format of {@code requestContext.time}, e.g. {@code 12/Mar/2020:19:03:58 +0000}. */
    static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /**
     * A request as received.
     *
     * @param rawPath   the path still URL-encoded
     * @param rawQuery  the query string without {@code ?}, still encoded; empty if none
     * @param headers   header name (any case) to its values in arrival order
     * @param host      the {@code Host} the client used, which becomes {@code domainName}
     */
    public record IncomingRequest(String method, String rawPath, String rawQuery, String protocol, String sourceIp,
                                  String host, Map<String, List<String>> headers, byte[] body) {}

    private HttpApiPayloads() {}

    /** The event for {@code request} routed by {@code routeKey}. */
    public static APIGatewayV2HTTPEvent toEvent(IncomingRequest request, String routeKey, Map<String, String> pathParameters,
                                                String requestId, Instant receivedAt) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        request.headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                for (String header : values) {
                    for (String cookie : header.split(";")) {
                        if (!cookie.isBlank()) cookies.add(cookie.strip());
                    }
                }
            } else {
                headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
            }
        });
        headers.putIfAbsent("x-forwarded-for", request.sourceIp());
        headers.putIfAbsent("x-forwarded-proto", "http");
        String domainName = request.host() == null ? "127.0.0.1" : request.host();
        String method = request.method().toUpperCase(Locale.ROOT);

        byte[] body = request.body();
        boolean hasBody = body != null && body.length > 0;
        boolean text = isText(headers.get("content-type"));

        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(request.rawPath())
                .withRawQueryString(request.rawQuery() == null ? "" : request.rawQuery())
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withHeaders(headers)
                .withQueryStringParameters(queryParameters(request.rawQuery()))
                .withPathParameters(pathParameters == null || pathParameters.isEmpty() ? null : pathParameters)
                .withBody(!hasBody ? null : text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(hasBody && !text)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("000000000000")
                        .withApiId("local")
                        .withDomainName(domainName)
                        .withDomainPrefix(domainName.split("[.:]")[0])
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method)
                                .withPath(request.rawPath())
                                .withProtocol(request.protocol())
                                .withSourceIp(request.sourceIp())
                                .withUserAgent(headers.get("user-agent"))
                                .build())
                        .withRequestId(requestId)
                        .withRouteKey(routeKey)
                        .withStage("$default")
                        .withTime(REQUEST_TIME.format(receivedAt))
                        .withTimeEpoch(receivedAt.toEpochMilli())
                        .build())
                .build();
    }

    /** Whether API Gateway passes a body of this content type as text (otherwise it base64-encodes it). */
    public static boolean isText(String contentType) {
        if (contentType == null) return false;
        String mediaType = contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        return mediaType.startsWith("text/")
                || mediaType.equals("application/json")
                || mediaType.equals("application/xml")
                || mediaType.equals("application/javascript");
    }

    private static Map<String, String> queryParameters(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) return null;
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            parameters.merge(name, value, (a, b) -> a + "," + b);
        }
        return parameters.isEmpty() ? null : parameters;
    }
}
