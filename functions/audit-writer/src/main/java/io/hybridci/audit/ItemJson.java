package io.hybridci.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A DynamoDB item as plain JSON, the form the audit chain hashes: S → string, N → number (exact
 * decimal), BOOL, NULL, M → object, L → array, B → base64 string, and sets → arrays sorted, because
 * DynamoDB returns set members in no particular order and the same item must always hash the same.
 */
final class ItemJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private ItemJson() {
    }

    static ObjectNode of(Map<String, AttributeValue> item) {
        ObjectNode object = NODES.objectNode();
        new TreeMap<>(item).forEach((name, value) -> object.set(name, valueOf(value)));
        return object;
    }

    static JsonNode valueOf(AttributeValue value) {
        return switch (value.type()) {
            case S -> NODES.textNode(value.s());
            case N -> NODES.numberNode(new BigDecimal(value.n()));
            case BOOL -> NODES.booleanNode(value.bool());
            case NUL -> NODES.nullNode();
            case M -> of(value.m());
            case L -> {
                ArrayNode array = NODES.arrayNode();
                value.l().forEach(element -> array.add(valueOf(element)));
                yield array;
            }
            case B -> NODES.textNode(base64(value.b()));
            case SS -> sorted(value.ss().stream().map(NODES::textNode).toList());
            case NS -> sortedNumbers(value);
            case BS -> sorted(value.bs().stream().map(bytes -> NODES.textNode(base64(bytes))).toList());
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("unknown attribute type in " + value);
        };
    }

    private static ArrayNode sorted(java.util.List<? extends JsonNode> texts) {
        ArrayNode array = NODES.arrayNode();
        texts.stream().map(JsonNode::textValue).sorted().forEach(array::add);
        return array;
    }

    private static ArrayNode sortedNumbers(AttributeValue value) {
        ArrayNode array = NODES.arrayNode();
        value.ns().stream().map(BigDecimal::new).sorted().forEach(array::add);
        return array;
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArray());
    }
}
