package io.hybridci.core.intake;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One HTTP delivery as webhook-intake sees it, independent of API Gateway's event classes.
 *
 * @param headers the request headers; names are matched case-insensitively (HTTP/2 and API Gateway
 *                lower-case them, GitHub documents them capitalized)
 * @param body the raw body bytes exactly as received (after API Gateway's base64, if any): the signature covers these
 */
public record WebhookRequest(Map<String, String> headers, byte[] body) {

    public WebhookRequest {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        TreeMap<String, String> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, value) -> {
            if (name != null && value != null) {
                caseInsensitive.put(name, value);
            }
        });
        headers = Collections.unmodifiableMap(caseInsensitive);
    }

    /** The header's value, or null when absent; {@code name} in any case. */
    public String header(String name) {
        return headers.get(name);
    }
}
