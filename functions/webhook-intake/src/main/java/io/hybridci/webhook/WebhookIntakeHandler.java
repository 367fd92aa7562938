package io.hybridci.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.hybridci.aws.config.Adapters;
import io.hybridci.core.intake.WebhookIntake;
import io.hybridci.core.intake.WebhookRequest;
import io.hybridci.core.intake.WebhookResponse;
import io.hybridci.core.port.DeliveryLog;
import io.hybridci.core.port.EventPublisher;
import io.hybridci.core.port.SecretSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * webhook-intake (HTTP {@code POST /webhooks/github}, API Gateway HTTP API payload v2): hands the
 * raw delivery to {@link WebhookIntake}, which checks, normalizes, dedups and publishes it.
 */
public final class WebhookIntakeHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final Map<String, String> JSON_HEADERS = Map.of("Content-Type", "application/json");

    private final WebhookIntake intake;

    /** Used by Lambda: the real adapters, built once per container from the environment. */
    public WebhookIntakeHandler() {
        this(Adapters.fromEnvironment(System.getenv()));
    }

    /** Used by the local cloud, which builds one {@link Adapters} against its local endpoints. */
    public WebhookIntakeHandler(Adapters adapters) {
        this(adapters.secrets(), adapters.deliveries(), adapters.events(), Clock.systemUTC());
    }

    /** Used by tests and the local cloud: the ports, and the clock that stamps deliveries. */
    public WebhookIntakeHandler(SecretSource secrets, DeliveryLog deliveries, EventPublisher publisher, Clock clock) {
        this(new WebhookIntake(secrets, deliveries, publisher, SchemaDetailValidator.shared(), clock));
    }

    public WebhookIntakeHandler(WebhookIntake intake) {
        this.intake = Objects.requireNonNull(intake, "intake");
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String body = event.getBody() == null ? "" : event.getBody();
        byte[] raw;
        try {
            // The signature covers GitHub's bytes, so decode API Gateway's base64 before anything else.
            raw = event.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return response(new WebhookResponse(400, "{\"error\":\"malformed_body\",\"message\":\"the body is not valid base64\"}"));
        }
        Map<String, String> headers = event.getHeaders() == null ? Map.of() : event.getHeaders();
        return response(intake.handle(new WebhookRequest(headers, raw)));
    }

    private static APIGatewayV2HTTPResponse response(WebhookResponse response) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(response.status()).withHeaders(JSON_HEADERS)
                .withBody(response.jsonBody()).withIsBase64Encoded(false).build();
    }
}
