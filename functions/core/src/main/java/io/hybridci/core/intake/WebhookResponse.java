package io.hybridci.core.intake;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The answer to GitHub: a status and a small JSON body. Errors are
 * {@code {"error":"<code>","message":"…"}}, as everywhere in the API; no stack trace, no secret.
 *
 * @param status the HTTP status
 * @param jsonBody the body, always a JSON object
 */
public record WebhookResponse(int status, String jsonBody) {

    public WebhookResponse {
        Objects.requireNonNull(jsonBody, "jsonBody");
    }

    static WebhookResponse error(int status, String code, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("error", code);
        body.put("message", message);
        return new WebhookResponse(status, body.toString());
    }

    static WebhookResponse of(int status, ObjectNode body) {
        return new WebhookResponse(status, body.toString());
    }
}
