package io.hybridci.local.engine.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Converts SDK v2 attribute values to and from DynamoDB JSON ({@code {"S":"x"}}, {@code {"N":"1"}}, …),
 * the wire format of DynamoDB and of the {@code dynamodb} block of a Lambda stream event. Used both to
 * persist the stream log and to build Lambda events, so the two can never disagree.
 */
final class AttributeValueJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AttributeValueJson() {
    }

    static ObjectNode toJson(Map<String, AttributeValue> item) {
        ObjectNode object = NODES.objectNode();
        item.forEach((name, value) -> object.set(name, toJson(value)));
        return object;
    }

    static ObjectNode toJson(AttributeValue value) {
        ObjectNode node = NODES.objectNode();
        switch (value.type()) {
            case S -> node.put("S", value.s());
            case N -> node.put("N", value.n());
            case B -> node.put("B", Base64.getEncoder().encodeToString(value.b().asByteArray()));
            case BOOL -> node.put("BOOL", value.bool());
            case NUL -> node.put("NULL", true);
            case SS -> value.ss().forEach(node.putArray("SS")::add);
            case NS -> value.ns().forEach(node.putArray("NS")::add);
            case BS -> {
                ArrayNode array = node.putArray("BS");
                value.bs().forEach(b -> array.add(Base64.getEncoder().encodeToString(b.asByteArray())));
            }
            case M -> node.set("M", toJson(value.m()));
            case L -> {
                ArrayNode array = node.putArray("L");
                value.l().forEach(element -> array.add(toJson(element)));
            }
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("attribute value of unknown type");
        }
        return node;
    }

    static Map<String, AttributeValue> itemFromJson(JsonNode object) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        if (object != null) {
            object.properties().forEach(field -> item.put(field.getKey(), fromJson(field.getValue())));
        }
        return item;
    }

    static AttributeValue fromJson(JsonNode node) {
        var field = node.properties().iterator().next();
        JsonNode v = field.getValue();
        return switch (field.getKey()) {
            case "S" -> AttributeValue.fromS(v.asText());
            case "N" -> AttributeValue.fromN(v.asText());
            case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(v.asText())));
            case "BOOL" -> AttributeValue.fromBool(v.asBoolean());
            case "NULL" -> AttributeValue.fromNul(true);
            case "SS" -> AttributeValue.fromSs(texts(v));
            case "NS" -> AttributeValue.fromNs(texts(v));
            case "BS" -> AttributeValue.fromBs(texts(v).stream()
                    .map(b -> SdkBytes.fromByteArray(Base64.getDecoder().decode(b))).toList());
            case "M" -> AttributeValue.fromM(itemFromJson(v));
            case "L" -> {
                List<AttributeValue> list = new ArrayList<>();
                v.forEach(element -> list.add(fromJson(element)));
                yield AttributeValue.fromL(list);
            }
            default -> throw new IllegalArgumentException("not a DynamoDB JSON attribute value: " + field.getKey());
        };
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }
}
