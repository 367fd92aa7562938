package io.hybridci.aws.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Opaque page cursors: base64url of a JSON object holding the key of the last item returned
 * ({@code {"pk":{"S":"…"},"seq":{"N":"3"}}}), given back to DynamoDB as {@code ExclusiveStartKey}.
 * Key attributes are strings or numbers only (topology's {@code KeyAttribute}), so nothing else is
 * encoded. A cursor that does not decode is an {@link IllegalArgumentException}: the API answers 400.
 */
final class Cursors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Cursors() {
    }

    /** The cursor pointing after {@code item}, built from its {@code keyNames} attributes. */
    static String after(Map<String, AttributeValue> item, List<String> keyNames) {
        ObjectNode node = JSON.createObjectNode();
        for (String name : keyNames) {
            AttributeValue value = item.get(name);
            if (value == null) {
                throw new IllegalStateException("item lacks key attribute " + name + " needed for its cursor");
            }
            if (value.s() != null) {
                node.putObject(name).put("S", value.s());
            } else {
                node.putObject(name).put("N", value.n());
            }
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, AttributeValue> decode(String cursor) {
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(cursor));
            if (node == null || !node.isObject() || node.isEmpty()) {
                throw new IllegalArgumentException("invalid cursor");
            }
            Map<String, AttributeValue> key = new HashMap<>();
            for (var field : node.properties()) {
                JsonNode value = field.getValue();
                if (value.hasNonNull("S")) {
                    key.put(field.getKey(), AttributeValue.fromS(value.get("S").asText()));
                } else if (value.hasNonNull("N")) {
                    key.put(field.getKey(), AttributeValue.fromN(value.get("N").asText()));
                } else {
                    throw new IllegalArgumentException("invalid cursor");
                }
            }
            return key;
        } catch (IOException | IllegalArgumentException e) {
            // Never echo the cursor: it is caller input.
            throw new IllegalArgumentException("invalid cursor");
        }
    }
}
