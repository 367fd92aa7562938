package io.hybridci.local.runtime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gateway on a real loopback socket, driven by java.net.http. */
class HttpGatewayIT {

    private final List<APIGatewayV2HTTPEvent> received = new CopyOnWriteArrayList<>();
    private final InvocationStats stats = new InvocationStats();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpGateway gateway;

    private LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function(
            String name, java.util.function.Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> behaviour) {
        return new LocalFunction<>(LocalFunction.Settings.of(name, 512, Duration.ofSeconds(10)), (event, context) -> {
            received.add(event);
            return behaviour.apply(event);
        }, stats);
    }

    @BeforeEach
    void startGateway(@TempDir Path dashboard) throws Exception {
        Files.writeString(dashboard.resolve("index.html"), "<h1>builds</h1>");
        Files.writeString(dashboard.resolve("app.js"), "console.log('hi')");
        gateway = HttpGateway.builder()
                .route("GET", "/api/v1/builds/{id}", function("api", event -> APIGatewayV2HTTPResponse.builder()
                        .withStatusCode(200)
                        .withHeaders(Map.of("Content-Type", "application/json"))
                        .withMultiValueHeaders(Map.of("X-Trace", List.of("a", "b")))
                        .withCookies(List.of("session=1; HttpOnly", "theme=dark"))
                        .withBody("{\"id\":\"" + event.getPathParameters().get("id") + "\"}")
                        .build()))
                .route("POST", "/echo", function("echo", event -> APIGatewayV2HTTPResponse.builder()
                        .withStatusCode(201)
                        .withHeaders(Map.of("Content-Type", "application/octet-stream"))
                        .withBody(event.getBody())
                        .withIsBase64Encoded(event.getIsBase64Encoded())
                        .build()))
                .route("ANY", "/boom/{proxy+}", function("boom", event -> { throw new IllegalStateException("bug"); }))
                .route("GET", "/nothing", function("nothing", event -> null))
                .staticFiles("/dashboard", dashboard)
                .start();
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI uri(String path) {
        return URI.create(gateway.baseUrl() + path);
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldRouteWithPathParametersAndWriteHeadersCookiesBody_whenRouteMatches() throws Exception {
        var response = send(HttpRequest.newBuilder(uri("/api/v1/builds/b-7?expand=jobs")).header("Cookie", "a=1; b=2"));
        assertEquals(200, response.statusCode());
        assertEquals("{\"id\":\"b-7\"}", text(response));
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        assertEquals(List.of("a", "b"), response.headers().allValues("x-trace"));
        assertEquals(List.of("session=1; HttpOnly", "theme=dark"), response.headers().allValues("set-cookie"));
        assertTrue(response.headers().firstValue("apigw-requestid").isPresent());

        APIGatewayV2HTTPEvent event = received.getFirst();
        assertEquals("GET /api/v1/builds/{id}", event.getRouteKey());
        assertEquals(Map.of("expand", "jobs"), event.getQueryStringParameters());
        assertEquals(List.of("a=1", "b=2"), event.getCookies());
        assertEquals("127.0.0.1", event.getRequestContext().getHttp().getSourceIp());
        assertEquals(response.headers().firstValue("apigw-requestid").orElseThrow(), event.getRequestContext().getRequestId());
        assertTrue(gateway.port() > 0);
    }

    @Test
    void shouldBase64EncodeBinaryRequestAndDecodeBase64Response_whenBodyIsNotText() throws Exception {
        byte[] binary = {0, 1, 2, (byte) 0xff, (byte) 0xfe};
        var response = send(HttpRequest.newBuilder(uri("/echo")).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(binary)));
        assertEquals(201, response.statusCode());
        assertArrayEquals(binary, response.body());
        assertTrue(received.getFirst().getIsBase64Encoded());
        assertEquals(Base64.getEncoder().encodeToString(binary), received.getFirst().getBody());
    }

    @Test
    void shouldAnswerNotFoundLikeApiGateway_whenNoRouteMatches() throws Exception {
        var response = send(HttpRequest.newBuilder(uri("/no/such/route")).POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(404, response.statusCode());
        assertEquals("{\"message\":\"Not Found\"}", text(response));
        assertTrue(received.isEmpty());
    }

    @Test
    void shouldAnswer413WithoutInvoking_whenPayloadExceedsTenMegabytes() throws Exception {
        byte[] tooLarge = new byte[HttpGateway.MAX_PAYLOAD_BYTES + 1];
        // Several times over: an answer written before the body was read used to be lost now and then to a TCP reset.
        for (int attempt = 0; attempt < 20; attempt++) {
            var response = send(HttpRequest.newBuilder(uri("/echo")).header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(tooLarge)));
            assertEquals(413, response.statusCode());
            assertEquals("{\"message\":\"Request Entity Too Large\"}", text(response));
        }
        assertTrue(received.isEmpty());
    }

    @Test
    void shouldAnswer413WithoutInvoking_whenChunkedBodyExceedsTenMegabytes() throws Exception {
        // No Content-Length: the limit is found while reading.
        byte[] tooLarge = new byte[HttpGateway.MAX_PAYLOAD_BYTES + 64 * 1024];
        var response = send(HttpRequest.newBuilder(uri("/echo")).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(tooLarge))));
        assertEquals(413, response.statusCode());
        assertEquals("{\"message\":\"Request Entity Too Large\"}", text(response));
        assertTrue(received.isEmpty());
    }

    @Test
    void shouldAnswerInternalServerErrorLikeApiGateway_whenFunctionThrowsOrReturnsNothing() throws Exception {
        var thrown = send(HttpRequest.newBuilder(uri("/boom/a/b")).DELETE());
        assertEquals(500, thrown.statusCode());
        assertEquals("{\"message\":\"Internal Server Error\"}", text(thrown));
        assertEquals("application/json", thrown.headers().firstValue("content-type").orElseThrow());
        assertEquals(1, stats.of("boom").errors());
        assertEquals(Map.of("proxy", "a/b"), received.getFirst().getPathParameters());

        var empty = send(HttpRequest.newBuilder(uri("/nothing")));
        assertEquals(500, empty.statusCode());
        assertEquals("{\"message\":\"Internal Server Error\"}", text(empty));
    }

    @Test
    void shouldServeStaticFilesAndRefuseTraversal_whenPathIsUnderStaticPrefix() throws Exception {
        var index = send(HttpRequest.newBuilder(uri("/dashboard/")));
        assertEquals(200, index.statusCode());
        assertEquals("<h1>builds</h1>", text(index));
        assertEquals("text/html; charset=utf-8", index.headers().firstValue("content-type").orElseThrow());
        var script = send(HttpRequest.newBuilder(uri("/dashboard/app.js")));
        assertEquals("text/javascript; charset=utf-8", script.headers().firstValue("content-type").orElseThrow());
        var traversal = send(HttpRequest.newBuilder(uri("/dashboard/%2e%2e/%2e%2e/etc/passwd")));
        assertEquals(404, traversal.statusCode());
    }
}
