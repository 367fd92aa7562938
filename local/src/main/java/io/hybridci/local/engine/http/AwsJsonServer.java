package io.hybridci.local.engine.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback HTTP server speaking the AWS JSON 1.1 protocol: {@code POST /} with
 * {@code X-Amz-Target: <prefix>.<Operation>} and a JSON body, answered with a JSON body or an
 * {@link AwsJsonError}. Subclasses give the target prefix and one method that dispatches operations.
 *
 * <p>Requests run on virtual threads, so a call that the server makes back into itself (a rotation
 * function calling Secrets Manager while RotateSecret is in progress) never starves the pool.
 */
public abstract class AwsJsonServer implements AutoCloseable {

    /** Shared mapper; request and response bodies are small trees. */
    protected static final ObjectMapper JSON = new ObjectMapper();

    private static final Logger LOG = LoggerFactory.getLogger(AwsJsonServer.class);
    private static final int MAX_BODY_BYTES = 2 * 1024 * 1024;

    private final String targetPrefix;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * @param targetPrefix e.g. {@code AWSEvents} or {@code secretsmanager}
     * @param port         0 picks a free port
     */
    protected AwsJsonServer(String targetPrefix, int port) throws IOException {
        this.targetPrefix = targetPrefix + ".";
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", this::exchange);
        server.setExecutor(executor);
    }

    /** Starts accepting requests. */
    protected final void startServing() {
        server.start();
    }

    /** The endpoint to give an SDK client's {@code endpointOverride}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Runs one operation.
     *
     * @return the response body
     * @throws AwsJsonError for anything the caller did wrong (unknown operation, missing resource, …)
     */
    protected abstract JsonNode handle(String operation, JsonNode request);

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            int status = 200;
            JsonNode response;
            try {
                if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(targetPrefix)) {
                    throw new AwsJsonError("UnknownOperationException", "expected POST / with X-Amz-Target: "
                            + targetPrefix + "<Operation>");
                }
                JsonNode request = readBody(exchange.getRequestBody());
                response = handle(target.substring(targetPrefix.length()), request);
            } catch (AwsJsonError e) {
                status = e.status();
                response = error(e.type(), e.getMessage());
            } catch (RuntimeException e) {
                // Our own bug: answer like AWS does (500, retried by the SDK) and keep the trace in our log.
                LOG.error("{} failed", target, e);
                status = 500;
                response = error("InternalFailure", "internal error in the local engine");
            }
            byte[] body = JSON.writeValueAsBytes(response);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static JsonNode readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new AwsJsonError("ValidationException", "request body larger than " + MAX_BODY_BYTES + " bytes");
        }
        if (bytes.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (!node.isObject()) {
                throw new AwsJsonError("SerializationException", "request body is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new AwsJsonError("SerializationException", "request body is not valid JSON");
        }
    }

    private static ObjectNode error(String type, String message) {
        ObjectNode node = JSON.createObjectNode();
        node.put("__type", type);
        node.put("message", message);
        return node;
    }

    /** A required string member, or a ValidationException naming it. */
    protected static String required(JsonNode request, String member) {
        JsonNode value = request.get(member);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new AwsJsonError("ValidationException", "1 validation error detected: Value at '" + member
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return value.asText();
    }

    /** An optional string member, or {@code fallback}. */
    protected static String optional(JsonNode request, String member, String fallback) {
        JsonNode value = request.get(member);
        return value == null || value.isNull() ? fallback : value.asText();
    }
}
