package io.hybridci.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reading request bodies and writing response bodies. One mapper per container (DESIGN section 11);
 * every field read names the field when it is wrong, because "400 bad request" alone helps nobody.
 */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The body as a JSON object; an empty body is {@code {}} when {@code emptyAllowed}. */
    static ObjectNode parseObject(String body, boolean emptyAllowed) {
        if (body.isBlank()) {
            if (emptyAllowed) {
                return object();
            }
            throw ApiProblem.badRequest("the request body must be a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException malformed) {
            // The parser's own words (line, column, what it expected) without echoing the body.
            throw ApiProblem.badRequest("malformed JSON: " + malformed.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiProblem.badRequest("the request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    static String requiredString(ObjectNode body, String field, Pattern pattern, String expected) {
        return optionalString(body, field, pattern, expected)
                .orElseThrow(() -> ApiProblem.badRequest("field \"" + field + "\" is required"));
    }

    static Optional<String> optionalString(ObjectNode body, String field, Pattern pattern, String expected) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw ApiProblem.badRequest("field \"" + field + "\" must be a string");
        }
        if (pattern != null && !pattern.matcher(value.textValue()).matches()) {
            throw ApiProblem.badRequest("field \"" + field + "\" must be " + expected);
        }
        return Optional.of(value.textValue());
    }

    static List<String> requiredStrings(ObjectNode body, String field, Pattern pattern, String expected) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw ApiProblem.badRequest("field \"" + field + "\" is required");
        }
        if (!value.isArray() || value.isEmpty()) {
            throw ApiProblem.badRequest("field \"" + field + "\" must be a non-empty array of strings");
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isTextual() || !pattern.matcher(item.textValue()).matches()) {
                throw ApiProblem.badRequest("field \"" + field + "[" + i + "]\" must be " + expected);
            }
            if (items.contains(item.textValue())) {
                throw ApiProblem.badRequest("field \"" + field + "\" lists \"" + item.textValue() + "\" twice");
            }
            items.add(item.textValue());
        }
        return items;
    }

    static void putInstant(ObjectNode node, String field, Instant value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value.toString());
        }
    }
}
