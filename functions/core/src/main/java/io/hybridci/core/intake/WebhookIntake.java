package io.hybridci.core.intake;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.github.GithubEvent;
import io.hybridci.core.github.GithubNormalizer;
import io.hybridci.core.github.Normalization;
import io.hybridci.core.port.DeliveryLog;
import io.hybridci.core.port.EventPublisher;
import io.hybridci.core.port.EventPublisher.BusEvent;
import io.hybridci.core.port.SecretSource;
import io.hybridci.core.security.Hmac;
import io.hybridci.core.security.Secret;
import io.hybridci.core.security.SignatureCheck;
import java.net.URLDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The webhook-intake use case (docs/functions.md): checks a GitHub delivery, normalizes it and puts
 * it on the bus exactly once per {@code X-GitHub-Delivery}. Every bad input gets a 4xx naming what
 * is wrong; only a failure of our own (the bus refusing the event) is a 5xx, so that GitHub retries.
 *
 * <p>Order matters: cheap checks on headers first, then the signature over the raw bytes before
 * anything parses the body (an unauthenticated sender must not reach the JSON parser), then the
 * dedup record, written only for a delivery that will be published.
 */
public final class WebhookIntake {

    /** Larger bodies are refused before anything else (413). GitHub caps payloads at 25 MB; ours fit in far less. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /** How long a delivery id is remembered: GitHub does not redeliver older deliveries. */
    public static final Duration DELIVERY_MEMORY = Duration.ofDays(7);
    /** The bus source of every normalized GitHub event. */
    public static final String SOURCE = "github.com";

    public static final String EVENT_HEADER = "X-GitHub-Event";
    public static final String DELIVERY_HEADER = "X-GitHub-Delivery";
    public static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    public static final String CONTENT_TYPE_HEADER = "Content-Type";

    private static final String PING = "ping";
    private static final String JSON_MEDIA_TYPE = "application/json";
    private static final String FORM_MEDIA_TYPE = "application/x-www-form-urlencoded";
    /** GitHub's delivery ids are GUIDs; the bound keeps a hostile header out of keys and logs. */
    private static final Pattern DELIVERY_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern EVENT_NAME = Pattern.compile("[a-z_]{1,64}");

    private static final System.Logger LOG = System.getLogger(WebhookIntake.class.getName());
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final SecretSource secrets;
    private final DeliveryLog deliveries;
    private final EventPublisher publisher;
    private final DetailValidator validator;
    private final Clock clock;

    public WebhookIntake(SecretSource secrets, DeliveryLog deliveries, EventPublisher publisher,
                         DetailValidator validator, Clock clock) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Handles one delivery; never throws for bad input. */
    public WebhookResponse handle(WebhookRequest request) {
        byte[] body = request.body();
        if (body.length > MAX_BODY_BYTES) {
            return WebhookResponse.error(413, "payload_too_large",
                    "the body is " + body.length + " bytes; the limit is " + MAX_BODY_BYTES);
        }
        String event = request.header(EVENT_HEADER);
        if (event == null || event.isBlank()) {
            return WebhookResponse.error(400, "missing_header", "the " + EVENT_HEADER + " header is missing");
        }
        if (!EVENT_NAME.matcher(event).matches()) {
            return WebhookResponse.error(400, "invalid_header", "the " + EVENT_HEADER + " header is not a GitHub event name");
        }
        String delivery = request.header(DELIVERY_HEADER);
        if (delivery == null || delivery.isBlank()) {
            return WebhookResponse.error(400, "missing_header", "the " + DELIVERY_HEADER + " header is missing");
        }
        if (!DELIVERY_ID.matcher(delivery).matches()) {
            return WebhookResponse.error(400, "invalid_header",
                    "the " + DELIVERY_HEADER + " header must be 1 to 64 letters, digits and dashes");
        }
        SignatureCheck signature = Hmac.verifyWebhook(acceptedSecrets(), body, request.header(SIGNATURE_HEADER));
        switch (signature) {
            case VALID -> { }
            case MISSING -> {
                return WebhookResponse.error(401, "missing_signature", "the " + SIGNATURE_HEADER + " header is missing");
            }
            case MALFORMED -> {
                return WebhookResponse.error(401, "invalid_signature",
                        "the " + SIGNATURE_HEADER + " header must be sha256= followed by 64 hex digits");
            }
            case MISMATCH -> {
                return WebhookResponse.error(401, "invalid_signature",
                        "the " + SIGNATURE_HEADER + " signature does not match the body and the webhook secret");
            }
        }
        return switch (parse(request)) {
            case Parsed.Failed failed -> failed.response();
            case Parsed.Payload payload -> route(event, delivery, payload.json());
        };
    }

    private WebhookResponse route(String event, String delivery, JsonNode payload) {
        if (event.equals(PING)) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("ok", true);
            JsonNode zen = payload.get("zen");
            body.put("zen", zen != null && zen.isTextual() ? zen.textValue() : null);
            return WebhookResponse.of(200, body);
        }
        if (!GithubNormalizer.supports(event)) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("ignored", true);
            body.put("event", event);
            return WebhookResponse.of(202, body);
        }
        return switch (GithubNormalizer.normalize(event, delivery, payload)) {
            case Normalization.MissingFields missing ->
                    WebhookResponse.error(400, "invalid_payload", "the " + event + " payload has " + missing.message());
            case Normalization.Normalized normalized -> publishOnce(normalized.event());
        };
    }

    private WebhookResponse publishOnce(GithubEvent event) {
        String detail = event.toJson().toString();
        List<String> problems = validator.problems(event.schemaName(), detail);
        if (!problems.isEmpty()) {
            return WebhookResponse.error(400, "invalid_payload",
                    "the " + event.eventName() + " payload does not fit " + event.schemaName() + ": "
                            + String.join("; ", problems));
        }
        Instant now = clock.instant();
        if (!deliveries.firstDelivery(event.delivery(), now, now.plus(DELIVERY_MEMORY))) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("duplicate", true);
            body.put("delivery", event.delivery());
            return WebhookResponse.of(200, body);
        }
        try {
            publisher.publish(List.of(new BusEvent(SOURCE, event.eventName(), detail)));
        } catch (RuntimeException publishFailed) {
            // Forget the delivery, or GitHub's retry would be answered "duplicate" and the build lost.
            LOG.log(System.Logger.Level.WARNING, "delivery {0}: publishing failed, answering 503: {1}",
                    event.delivery(), publishFailed.getMessage());
            deliveries.forget(event.delivery());
            return WebhookResponse.error(503, "unavailable",
                    "the event could not be published; retry the delivery later");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("accepted", true);
        body.put("delivery", event.delivery());
        return WebhookResponse.of(202, body);
    }

    private List<Secret> acceptedSecrets() {
        // A blank entry (an unset pending version) must not become a key anyone could sign with.
        return secrets.webhookSecrets().stream().filter(s -> s != null && !s.isBlank()).map(Secret::of).toList();
    }

    /** The body as a JSON object, or the 4xx that explains why it is not one. */
    private sealed interface Parsed {
        record Payload(JsonNode json) implements Parsed {}

        record Failed(WebhookResponse response) implements Parsed {}
    }

    private static Parsed parse(WebhookRequest request) {
        String contentType = request.header(CONTENT_TYPE_HEADER);
        if (contentType == null || contentType.isBlank()) {
            return unsupported("the " + CONTENT_TYPE_HEADER + " header is missing; send application/json "
                    + "or application/x-www-form-urlencoded");
        }
        String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        String text;
        try {
            text = utf8(request.body());
        } catch (CharacterCodingException notUtf8) {
            return malformed("the body is not UTF-8 text");
        }
        String json;
        switch (mediaType) {
            case JSON_MEDIA_TYPE -> json = text;
            case FORM_MEDIA_TYPE -> {
                String field = formField(text, "payload");
                if (field == null) {
                    return malformed("the form has no payload field, or it is not correctly URL-encoded");
                }
                json = field;
            }
            default -> {
                return unsupported("content type " + mediaType + " is not supported; send application/json "
                        + "or application/x-www-form-urlencoded");
            }
        }
        try {
            JsonNode tree = JSON.readTree(json);
            if (tree == null || !tree.isObject()) {
                return malformed("the payload is not a JSON object");
            }
            return new Parsed.Payload(tree);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            return malformed("the payload is not valid JSON" + where + ": " + e.getOriginalMessage());
        }
    }

    /** The decoded value of {@code name}, or null when absent; a bad %-escape counts as absent. */
    private static String formField(String form, String name) {
        for (String pair : form.split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            try {
                if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                    return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                }
            } catch (IllegalArgumentException badEscape) {
                return null;
            }
        }
        return null;
    }

    private static String utf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    private static Parsed malformed(String message) {
        return new Parsed.Failed(WebhookResponse.error(400, "malformed_body", message));
    }

    private static Parsed unsupported(String message) {
        return new Parsed.Failed(WebhookResponse.error(415, "unsupported_media_type", message));
    }
}
