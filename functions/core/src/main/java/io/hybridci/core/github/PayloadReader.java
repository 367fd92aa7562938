package io.hybridci.core.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads fields out of a JSON object and, instead of failing at the first problem, writes down the
 * path of every field that is missing or of the wrong type, so that one error can name them all.
 * A missing object is reported once; the fields below it are then not reported again.
 */
final class PayloadReader {

    private final JsonNode node;
    private final String path;
    private final List<String> problems;
    /** False below an object that was itself reported missing: its children add no noise. */
    private final boolean reporting;

    private PayloadReader(JsonNode node, String path, List<String> problems, boolean reporting) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        this.reporting = reporting;
    }

    /** A reader of a whole document; a non-object document is itself a problem. */
    static PayloadReader root(JsonNode document) {
        List<String> problems = new ArrayList<>();
        if (document == null || !document.isObject()) {
            problems.add("$ (expected a JSON object)");
            return new PayloadReader(MissingNode.getInstance(), "", problems, false);
        }
        return new PayloadReader(document, "", problems, true);
    }

    /** Paths of every missing or mistyped field seen so far, in reading order. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    String text(String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            report(field);
            return "";
        }
        return value.textValue();
    }

    /** The text, or null when the field is absent or null; another type is a problem. */
    String optionalText(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            report(field);
            return null;
        }
        return value.textValue();
    }

    boolean bool(String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isBoolean()) {
            report(field);
            return false;
        }
        return value.booleanValue();
    }

    /** The boolean, or {@code fallback} when absent or null (fields older GitHub servers omit). */
    boolean optionalBool(String field, boolean fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            report(field);
            return fallback;
        }
        return value.booleanValue();
    }

    int integer(String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
            report(field);
            return 0;
        }
        return value.intValue();
    }

    /** A required object; when it is missing the returned reader reads nothing and reports nothing. */
    PayloadReader object(String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isObject()) {
            report(field);
            return new PayloadReader(MissingNode.getInstance(), child(field), problems, false);
        }
        return new PayloadReader(value, child(field), problems, reporting);
    }

    /** An object that may be absent or null (a deleted head repository, a deleted ref's head commit). */
    Optional<PayloadReader> optionalObject(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            report(field);
            return Optional.empty();
        }
        return Optional.of(new PayloadReader(value, child(field), problems, reporting));
    }

    /** The elements of an array that may be absent; another type is a problem. */
    List<JsonNode> optionalArray(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            report(field);
            return List.of();
        }
        List<JsonNode> elements = new ArrayList<>(value.size());
        value.forEach(elements::add);
        return elements;
    }

    /** The readers of the object elements of an array that may be absent; a non-object element is a problem. */
    List<PayloadReader> optionalObjects(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            report(field);
            return List.of();
        }
        List<PayloadReader> readers = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            String elementPath = child(field) + "[" + i + "]";
            if (value.get(i).isObject()) {
                readers.add(new PayloadReader(value.get(i), elementPath, problems, reporting));
            } else if (reporting) {
                problems.add(elementPath);
            }
        }
        return readers;
    }

    private void report(String field) {
        if (reporting) {
            problems.add(child(field));
        }
    }

    private String child(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
