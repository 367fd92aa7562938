package io.hybridci.aws.dynamodb;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reading and writing single attributes of an item by hand. A missing required attribute is an
 * {@link IllegalStateException} naming it: an item that does not parse is corrupt data, and the
 * message must say which attribute to look at. Null values are omitted on write (DynamoDB has no
 * use for a stored NULL, and an absent attribute keeps the sparse indexes sparse).
 */
final class Attributes {

    private Attributes() {
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeValue bool(boolean value) {
        return AttributeValue.fromBool(value);
    }

    static AttributeValue stringList(List<String> values) {
        // L, not SS: a string set cannot be empty and does not keep order.
        return AttributeValue.fromL(values.stream().map(AttributeValue::fromS).toList());
    }

    static AttributeValue stringMap(Map<String, String> values) {
        Map<String, AttributeValue> map = new HashMap<>();
        values.forEach((key, value) -> map.put(key, AttributeValue.fromS(value)));
        return AttributeValue.fromM(map);
    }

    static void putString(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    static void putInstant(Map<String, AttributeValue> item, String name, Instant value) {
        if (value != null) {
            item.put(name, s(value.toString()));
        }
    }

    static void putInteger(Map<String, AttributeValue> item, String name, Integer value) {
        if (value != null) {
            item.put(name, n(value));
        }
    }

    /** DynamoDB TTL wants epoch seconds in a number attribute. */
    static void putEpochSeconds(Map<String, AttributeValue> item, String name, Instant value) {
        if (value != null) {
            item.put(name, n(value.getEpochSecond()));
        }
    }

    static String string(Map<String, AttributeValue> item, String name) {
        return optionalString(item, name).orElseThrow(() -> missing(item, name));
    }

    static Optional<String> optionalString(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.s() == null ? Optional.empty() : Optional.of(value.s());
    }

    static String nullableString(Map<String, AttributeValue> item, String name) {
        return optionalString(item, name).orElse(null);
    }

    static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || value.n() == null) {
            throw missing(item, name);
        }
        return Long.parseLong(value.n());
    }

    static Integer nullableInteger(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? null : Integer.valueOf(value.n());
    }

    static boolean bool(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value != null && Boolean.TRUE.equals(value.bool());
    }

    static Instant instant(Map<String, AttributeValue> item, String name) {
        return Instant.parse(string(item, name));
    }

    static Instant nullableInstant(Map<String, AttributeValue> item, String name) {
        return optionalString(item, name).map(Instant::parse).orElse(null);
    }

    static Instant nullableEpochSeconds(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? null : Instant.ofEpochSecond(Long.parseLong(value.n()));
    }

    static List<String> stringList(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || !value.hasL()) {
            return List.of();
        }
        List<String> values = new ArrayList<>(value.l().size());
        for (AttributeValue element : value.l()) {
            values.add(element.s());
        }
        return values;
    }

    static Map<String, String> stringMap(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || !value.hasM()) {
            return Map.of();
        }
        Map<String, String> values = new HashMap<>();
        value.m().forEach((key, element) -> values.put(key, element.s()));
        return values;
    }

    private static IllegalStateException missing(Map<String, AttributeValue> item, String name) {
        // Name the item by its keys only: other attributes may hold data that must not reach a log.
        return new IllegalStateException("item " + keyOf(item) + " lacks required attribute '" + name + "'");
    }

    static String keyOf(Map<String, AttributeValue> item) {
        StringBuilder key = new StringBuilder("{");
        for (String name : List.of(StateItems.PK, StateItems.SK, "chain", "seq", "jobId")) {
            AttributeValue value = item.get(name);
            if (value != null) {
                key.append(key.length() > 1 ? ", " : "").append(name).append('=')
                        .append(value.s() != null ? value.s() : value.n());
            }
        }
        return key.append('}').toString();
    }
}
