package io.hybridci.schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The EventBridge rules of the {@code hybridci} bus, read from {@code rules/index.json} and the
 * files it lists on the classpath.
 *
 * <p>An index file is used because listing a folder inside a jar is awkward and differs
 * between a jar, an exploded directory and a shaded Lambda jar; a test keeps the index and
 * the folder in step.
 */
public final class RuleCatalog {

    static final String RULES_FOLDER = "rules/";
    static final String INDEX_RESOURCE = RULES_FOLDER + "index.json";

    /** Loaded once per class loader: the files are immutable inside a jar. */
    private static final class Holder {
        static final List<RuleDefinition> RULES = read();
    }

    private RuleCatalog() {
    }

    /** Every rule, in index order. The list is immutable and shared. */
    public static List<RuleDefinition> load() {
        return Holder.RULES;
    }

    /** The rule with this name; fails with the known names when there is none. */
    public static RuleDefinition byName(String name) {
        return load().stream()
                .filter(rule -> rule.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown rule '" + name + "'; known: "
                        + load().stream().map(RuleDefinition::name).toList()));
    }

    private static List<RuleDefinition> read() {
        JsonNode index = ClasspathResources.readJson(INDEX_RESOURCE);
        List<RuleDefinition> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode fileName : index.required("rules")) {
            String resource = RULES_FOLDER + fileName.asText();
            RuleDefinition rule = parse(resource, ClasspathResources.readJson(resource));
            if (!names.add(rule.name())) {
                throw new IllegalStateException("Duplicate rule name '" + rule.name() + "' in " + resource);
            }
            rules.add(rule);
        }
        return List.copyOf(rules);
    }

    private static RuleDefinition parse(String resource, JsonNode node) {
        String name = requiredText(resource, node, "name");
        String expectedFile = RULES_FOLDER + name + ".json";
        if (!expectedFile.equals(resource)) {
            // The file name is how people find a rule; a mismatch would send them to the wrong file.
            throw new IllegalStateException(resource + " declares name '" + name + "'; expected file " + expectedFile);
        }
        JsonNode pattern = node.get("eventPattern");
        if (pattern == null || !pattern.isObject() || pattern.isEmpty()) {
            throw new IllegalStateException(resource + " has no eventPattern object");
        }
        try {
            return new RuleDefinition(name,
                    requiredText(resource, node, "description"),
                    requiredText(resource, node, "target"),
                    ClasspathResources.JSON.writeValueAsString(pattern));
        } catch (com.fasterxml.jackson.core.JsonProcessingException unwritable) {
            // A tree just read from JSON always writes back; this would be a Jackson bug.
            throw new IllegalStateException(resource + ": eventPattern cannot be written back as JSON", unwritable);
        }
    }

    private static String requiredText(String resource, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalStateException(resource + " has no '" + field + "' string");
        }
        return value.asText();
    }
}
