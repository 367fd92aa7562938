package io.hybridci.planner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The parts of the EventBridge envelope the planner routes on (events-schema {@code eventbridge-envelope}).
 *
 * @param id EventBridge's event id (re-deliveries of one event keep it)
 * @param source e.g. {@code github.com}
 * @param detailType e.g. {@code push}, {@code Pipeline Uploaded}
 * @param detail the event's own payload
 */
public record EventEnvelope(String id, String source, String detailType, JsonNode detail) {

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(detailType, "detailType");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * Reads one envelope.
     *
     * @throws IllegalArgumentException naming the missing fields, when it is not an EventBridge event
     */
    public static EventEnvelope read(ObjectMapper json, InputStream in) throws IOException {
        JsonNode root = json.readTree(in);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the input is not an EventBridge event (not a JSON object)");
        }
        List<String> missing = new ArrayList<>();
        String id = text(root, "id", missing);
        String source = text(root, "source", missing);
        String detailType = text(root, "detail-type", missing);
        JsonNode detail = root.get("detail");
        if (detail == null || !detail.isObject()) {
            missing.add("detail");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the input is not an EventBridge event, missing: " + String.join(", ", missing));
        }
        return new EventEnvelope(id, source, detailType, detail);
    }

    private static String text(JsonNode root, String field, List<String> missing) {
        JsonNode value = root.get(field);
        if (value == null || !value.isTextual()) {
            missing.add(field);
            return null;
        }
        return value.textValue();
    }
}
