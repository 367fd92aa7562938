package io.hybridci.core.pipeline;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a YAML document into a Jackson tree, safely, and reports problems instead of throwing.
 *
 * <p>Why not {@code ObjectMapper.readTree}: Jackson's YAML parser does not resolve aliases
 * (it hands back the anchor's name as a string, silently), stops at the first duplicate key,
 * and cannot bound alias expansion. Pipelines use anchors and merge keys ({@code <<: *defaults})
 * as in Buildkite, so this reader resolves them itself, with two limits that defuse
 * "billion laughs" documents: at most {@link #MAX_ALIASES} aliases and at most
 * {@link #MAX_VALUES} values after expansion. No YAML tag ever constructs a Java type:
 * the result is plain JSON nodes.
 */
final class YamlTreeReader {

    /** Most aliases ({@code *name}) one document may use; SnakeYAML's own default is 50 too. */
    static final int MAX_ALIASES = 50;

    /** Most values (scalars, lists, mappings) a document may hold once aliases are expanded. */
    static final int MAX_VALUES = 100_000;

    private static final int MAX_NESTING = 64;

    private static final YAMLFactory FACTORY = YAMLFactory.builder().loaderOptions(loaderOptions()).build();

    /** A problem found while reading, at a path of mapping keys (String) and list indexes (Integer). */
    record Problem(List<Object> path, String message) {
        Problem {
            path = List.copyOf(path);
        }
    }

    /** The tree ({@link MissingNode} for an empty document) and what was wrong with it. */
    record Result(JsonNode root, List<Problem> problems) {
        Result {
            problems = List.copyOf(problems);
        }
    }

    /** Stops reading: the document cannot be read any further (syntax error, a limit hit). */
    private static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    private final YAMLParser parser;
    private final Map<String, Anchored> anchors = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();
    private final List<Object> path = new ArrayList<>();
    private int aliases;
    private int values;

    private record Anchored(JsonNode node, int expandedValues) {}

    private YamlTreeReader(YAMLParser parser) {
        this.parser = parser;
    }

    static Result read(String yaml) {
        try (YAMLParser parser = FACTORY.createParser(yaml)) {
            YamlTreeReader reader = new YamlTreeReader(parser);
            try {
                return new Result(reader.readDocument(), reader.problems);
            } catch (Unreadable unreadable) {
                return failed(unreadable.getMessage());
            }
        } catch (JacksonException syntax) {
            return failed(describeSyntaxError(syntax));
        } catch (IOException | RuntimeException unexpected) {
            // SnakeYAML throws unchecked exceptions on some malformed input; report, never propagate.
            return failed("YAML syntax error: " + unexpected.getMessage());
        }
    }

    private static Result failed(String message) {
        return new Result(MissingNode.getInstance(), List.of(new Problem(List.of(), message)));
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setNestingDepthLimit(MAX_NESTING);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        return options;
    }

    private JsonNode readDocument() throws IOException, Unreadable {
        JsonToken first = parser.nextToken();
        if (first == null) {
            return MissingNode.getInstance();
        }
        JsonNode root = readValue(first);
        if (parser.nextToken() != null) {
            problems.add(new Problem(List.of(), "the file holds more than one YAML document (---); keep one"));
        }
        return root;
    }

    private JsonNode readValue(JsonToken token) throws IOException, Unreadable {
        if (parser.isCurrentAlias()) {
            return resolveAlias(parser.getText());
        }
        // Read the anchor before the children: reading them moves the parser's current anchor.
        String anchor = parser.getObjectId();
        int valuesBefore = values;
        count(1);
        JsonNode node = switch (token) {
            case START_OBJECT -> readMapping();
            case START_ARRAY -> readSequence();
            case VALUE_STRING -> TextNode.valueOf(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> JsonNodeFactory.instance.numberNode(parser.getIntValue());
                case LONG -> JsonNodeFactory.instance.numberNode(parser.getLongValue());
                default -> JsonNodeFactory.instance.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> JsonNodeFactory.instance.numberNode(parser.getDoubleValue());
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.instance;
            default -> throw new Unreadable(at(parser.currentTokenLocation()) + "unexpected YAML content " + token);
        };
        if (anchor != null) {
            anchors.put(anchor, new Anchored(node, values - valuesBefore));
        }
        return node;
    }

    private JsonNode resolveAlias(String name) throws Unreadable {
        JsonLocation location = parser.currentTokenLocation();
        if (++aliases > MAX_ALIASES) {
            throw new Unreadable(at(location) + "more than " + MAX_ALIASES + " aliases (*name) in one file");
        }
        Anchored anchored = anchors.get(name);
        if (anchored == null) {
            problems.add(new Problem(path, at(location) + "alias *" + name + " refers to no anchor &" + name + " defined before it"));
            return NullNode.instance;
        }
        // Shared, never copied: nothing mutates the tree once read. Count it as if expanded.
        count(anchored.expandedValues());
        return anchored.node();
    }

    private void count(int more) throws Unreadable {
        values += more;
        if (values > MAX_VALUES) {
            throw new Unreadable("the document holds more than " + MAX_VALUES + " values once aliases are expanded");
        }
    }

    private ObjectNode readMapping() throws IOException, Unreadable {
        ObjectNode mapping = JsonNodeFactory.instance.objectNode();
        List<JsonNode> merged = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonLocation keyLocation = parser.currentTokenLocation();
            JsonToken valueToken = parser.nextToken();
            path.add(name);
            JsonNode value = readValue(valueToken);
            if (name.equals("<<")) {
                merged.add(value);
            } else if (mapping.has(name)) {
                problems.add(new Problem(path, "appears twice in the same mapping (again at " + position(keyLocation) + ")"));
            } else {
                mapping.set(name, value);
            }
            path.removeLast();
        }
        for (JsonNode source : merged) {
            mergeInto(mapping, source);
        }
        return mapping;
    }

    /** YAML merge keys: keys written in the mapping itself win over merged ones, earlier merges over later. */
    private void mergeInto(ObjectNode mapping, JsonNode source) {
        List<JsonNode> sources = new ArrayList<>();
        if (source.isArray()) {
            source.forEach(sources::add);
        } else {
            sources.add(source);
        }
        for (JsonNode each : sources) {
            if (!each.isObject()) {
                List<Object> mergePath = new ArrayList<>(path);
                mergePath.add("<<");
                problems.add(new Problem(mergePath, "a merge key needs a mapping or a list of mappings"));
                continue;
            }
            each.properties().forEach(entry -> {
                if (!mapping.has(entry.getKey())) {
                    mapping.set(entry.getKey(), entry.getValue());
                }
            });
        }
    }

    private ArrayNode readSequence() throws IOException, Unreadable {
        ArrayNode sequence = JsonNodeFactory.instance.arrayNode();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            path.add(sequence.size());
            sequence.add(readValue(token));
            path.removeLast();
        }
        return sequence;
    }

    private static String describeSyntaxError(JacksonException exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                StringBuilder text = new StringBuilder(position(marked.getProblemMark()))
                        .append(": YAML syntax error: ").append(marked.getProblem());
                Mark context = marked.getContextMark();
                if (marked.getContext() != null && context != null) {
                    text.append(" (").append(marked.getContext()).append(" at ").append(position(context)).append(')');
                }
                return text.toString();
            }
        }
        return at(exception.getLocation()) + "YAML syntax error: " + exception.getOriginalMessage();
    }

    private static String position(Mark mark) {
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    private static String position(JsonLocation location) {
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : position(location) + ": ";
    }
}
