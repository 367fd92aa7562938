package io.hybridci.local.runtime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local API Gateway HTTP API: a JDK HTTP server on 127.0.0.1 (one virtual thread per request) that routes
 * requests by {@link HttpRouteTable} to functions with payload format 2.0 ({@link HttpApiPayloads}), writes the
 * {@link APIGatewayV2HTTPResponse} back, and serves static directories (the dashboard) under path prefixes.
 *
 * <p>API Gateway's answers when the function is never reached or fails are reproduced exactly, because clients
 * (GitHub, agents, the CLI) see them in AWS too: a body over 10 MB gets {@code 413 {"message":"Request Entity Too
 * Large"}} before any invocation; no route gets {@code 404 {"message":"Not Found"}}; a function that throws, times
 * out or returns no valid response gets {@code 500 {"message":"Internal Server Error"}} (and the error is logged
 * here, as it would be in the function's log group). Every response carries {@code apigw-requestid}.
 *
 * @see <a href="https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html">HTTP API quotas (10 MB payload)</a>
 */
public final class HttpGateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpGateway.class);
    /** HTTP API's maximum request payload. */
    public static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
    /**
     * How much of an over-limit body is read and dropped so that its 413 arrives intact; a larger one is answered
     * at once and its connection closed (the client may then see a reset instead of the 413).
     */
    static final long DRAIN_LIMIT_BYTES = 4L * MAX_PAYLOAD_BYTES;
    private static final String NOT_FOUND = "{\"message\":\"Not Found\"}";
    private static final String TOO_LARGE = "{\"message\":\"Request Entity Too Large\"}";
    private static final String INTERNAL_ERROR = "{\"message\":\"Internal Server Error\"}";
    private static final SecureRandom RANDOM = new SecureRandom();

    private record StaticDirectory(String prefix, Path directory) {}

    /** Collects routes and static directories, then starts the server. */
    public static final class Builder {
        private final HttpRouteTable<LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> routes = new HttpRouteTable<>();
        private final List<StaticDirectory> staticDirectories = new ArrayList<>();
        private int port;

        private Builder() {}

        /** Routes {@code method path} (e.g. {@code POST /webhooks/github}, {@code ANY /api/{proxy+}}) to {@code function}. */
        public Builder route(String method, String path, LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function) {
            routes.add(method, path, function);
            return this;
        }

        /** Serves the files of {@code directory} for GET and HEAD under {@code prefix}; routes take precedence. */
        public Builder staticFiles(String prefix, Path directory) {
            String normalized = prefix.endsWith("/") ? prefix : prefix + "/";
            if (!normalized.startsWith("/")) throw new IllegalArgumentException("a prefix starts with /: " + prefix);
            staticDirectories.add(new StaticDirectory(normalized, directory.toAbsolutePath().normalize()));
            return this;
        }

        /** The port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public HttpGateway start() throws IOException {
            return new HttpGateway(this);
        }
    }

    private final HttpRouteTable<LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> routes;
    private final List<StaticDirectory> staticDirectories;
    private final HttpServer server;
    private final ExecutorService executor;

    private HttpGateway(Builder builder) throws IOException {
        this.routes = builder.routes;
        this.staticDirectories = List.copyOf(builder.staticDirectories);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), builder.port), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port the gateway listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>} */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String requestId = newRequestId();
        exchange.getResponseHeaders().set("apigw-requestid", requestId);
        try (exchange) {
            Instant receivedAt = Instant.now();
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String rawPath = exchange.getRequestURI().getRawPath();
            Optional<byte[]> body = readBody(exchange);
            if (body.isEmpty()) {
                sendJson(exchange, 413, TOO_LARGE);
                return;
            }
            Optional<HttpRouteTable.Match<LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>>> match =
                    routes.match(method, rawPath);
            if (match.isPresent()) {
                invoke(exchange, match.get(), body.get(), requestId, receivedAt);
            } else if (!serveStatic(exchange, method, rawPath)) {
                sendJson(exchange, 404, NOT_FOUND);
            }
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.toString());
        }
    }

    /**
     * The body, or empty when it is over the payload limit. An over-limit body is read to its end and thrown away
     * (up to {@link #DRAIN_LIMIT_BYTES}) before the 413 is written: the JDK server closes a connection whose request
     * was left unread, and closing a socket with unread bytes makes TCP reset it, which can destroy the answer before
     * the client reads it (seen in CI as "header parser received no bytes" instead of the 413).
     */
    private static Optional<byte[]> readBody(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        long declaredLength = -1;
        if (declared != null) {
            try {
                declaredLength = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                return Optional.of(new byte[0]);
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            if (declaredLength > MAX_PAYLOAD_BYTES) {
                if (declaredLength <= DRAIN_LIMIT_BYTES) discard(in, DRAIN_LIMIT_BYTES);
                return Optional.empty();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int read; (read = in.read(buffer)) >= 0; ) {
                total += read;
                if (total > MAX_PAYLOAD_BYTES) {
                    discard(in, DRAIN_LIMIT_BYTES - total);
                    return Optional.empty();
                }
                out.write(buffer, 0, read);
            }
            return Optional.of(out.toByteArray());
        }
    }

    /** Reads and drops at most {@code limit} bytes, stopping at the end of the body. */
    private static void discard(InputStream in, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        for (long left = limit; left > 0; ) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) return;
            left -= read;
        }
    }

    private void invoke(HttpExchange exchange, HttpRouteTable.Match<LocalFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> match,
                        byte[] body, String requestId, Instant receivedAt) throws IOException {
        InetSocketAddress remote = exchange.getRemoteAddress();
        HttpApiPayloads.IncomingRequest request = new HttpApiPayloads.IncomingRequest(
                exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
                exchange.getProtocol(), remote.getAddress().getHostAddress(),
                exchange.getRequestHeaders().getFirst("Host"), exchange.getRequestHeaders(), body);
        APIGatewayV2HTTPEvent event = HttpApiPayloads.toEvent(request, match.routeKey(), match.pathParameters(), requestId, receivedAt);
        APIGatewayV2HTTPResponse response;
        try {
            response = match.target().invoke(event);
        } catch (RuntimeException e) {
            LOG.error("{} {} ({}): function {} failed", event.getRequestContext().getHttp().getMethod(), event.getRawPath(),
                    requestId, match.target().name(), e);
            sendJson(exchange, 500, INTERNAL_ERROR);
            return;
        }
        if (response == null || response.getStatusCode() < 100 || response.getStatusCode() > 599) {
            LOG.error("{} ({}): function {} returned no valid response (status {})", event.getRawPath(), requestId,
                    match.target().name(), response == null ? "null" : response.getStatusCode());
            sendJson(exchange, 500, INTERNAL_ERROR);
            return;
        }
        writeResponse(exchange, response);
    }

    private static void writeResponse(HttpExchange exchange, APIGatewayV2HTTPResponse response) throws IOException {
        var headers = exchange.getResponseHeaders();
        if (response.getHeaders() != null) response.getHeaders().forEach(headers::set);
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> values.forEach(value -> headers.add(name, value)));
        }
        // Payload 2.0: each cookie of the response becomes its own Set-Cookie header.
        if (response.getCookies() != null) response.getCookies().forEach(cookie -> headers.add("Set-Cookie", cookie));
        byte[] body = response.getBody() == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(response.getBody())
                : response.getBody().getBytes(StandardCharsets.UTF_8);
        send(exchange, response.getStatusCode(), body);
    }

    private boolean serveStatic(HttpExchange exchange, String method, String rawPath) throws IOException {
        if (!method.equals("GET") && !method.equals("HEAD")) return false;
        String path = java.net.URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        for (StaticDirectory directory : staticDirectories) {
            String prefixWithoutSlash = directory.prefix().substring(0, directory.prefix().length() - 1);
            if (!path.startsWith(directory.prefix()) && !path.equals(prefixWithoutSlash)) continue;
            String relative = path.length() <= directory.prefix().length() ? "" : path.substring(directory.prefix().length());
            Path file = directory.directory().resolve(relative).normalize();
            if (!file.startsWith(directory.directory())) return false; // ../ out of the served directory
            if (Files.isDirectory(file)) file = file.resolve("index.html");
            if (!Files.isRegularFile(file)) continue;
            exchange.getResponseHeaders().set("Content-Type", contentTypeOf(file));
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            send(exchange, 200, Files.readAllBytes(file));
            return true;
        }
        return false;
    }

    private static String contentTypeOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
        return switch (extension) {
            case "html", "htm" -> "text/html; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "json" -> "application/json";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "ico" -> "image/x-icon";
            case "txt" -> "text/plain; charset=utf-8";
            default -> "application/octet-stream";
        };
    }

    private static void sendJson(HttpExchange exchange, int status, String json) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, status, json.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        boolean noBody = exchange.getRequestMethod().equalsIgnoreCase("HEAD") || status == 204 || status == 304 || body.length == 0;
        if (noBody) {
            if (exchange.getRequestMethod().equalsIgnoreCase("HEAD") && body.length > 0) {
                exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            }
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    /** API Gateway request ids look like {@code JKJaXmPLvHcESHA=}. */
    private static String newRequestId() {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Stops accepting requests; requests in flight get up to a second to finish. */
    @Override
    public void close() {
        server.stop(1);
        executor.close();
    }
}
