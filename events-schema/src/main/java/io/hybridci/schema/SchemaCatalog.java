package io.hybridci.schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The schemas this module ships, read from {@code schemas/catalog.json} on the classpath.
 *
 * <p>The catalog is an index rather than a folder listing because listing a folder inside a
 * (shaded) jar is awkward; a test checks that it matches {@code events-schema/schemas/}.
 * Immutable and loaded once, so it is safe to share between threads and invocations.
 */
public final class SchemaCatalog {

    static final String SCHEMAS_FOLDER = "schemas/";
    static final String CATALOG_RESOURCE = SCHEMAS_FOLDER + "catalog.json";

    private static final class Holder {
        static final SchemaCatalog INSTANCE = read();
    }

    private final Map<String, SchemaEntry> entriesByName;

    private SchemaCatalog(Map<String, SchemaEntry> entriesByName) {
        this.entriesByName = entriesByName;
    }

    /** The catalog, read once per class loader. */
    public static SchemaCatalog load() {
        return Holder.INSTANCE;
    }

    /** Every schema, in catalog order. */
    public List<SchemaEntry> entries() {
        return List.copyOf(entriesByName.values());
    }

    /** The schema of this name; fails with the known names when there is none. */
    public SchemaEntry entry(String name) {
        SchemaEntry entry = entriesByName.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("Unknown schema '" + name + "'; known: " + entriesByName.keySet());
        }
        return entry;
    }

    /** The schema of a bus event's detail, looked up by its envelope's source and detail-type. */
    public Optional<SchemaEntry> forEvent(String source, String detailType) {
        return entriesByName.values().stream()
                .filter(entry -> source.equals(entry.source()) && detailType.equals(entry.detailType()))
                .findFirst();
    }

    private static SchemaCatalog read() {
        JsonNode catalog = ClasspathResources.readJson(CATALOG_RESOURCE);
        Map<String, SchemaEntry> entries = new LinkedHashMap<>();
        for (JsonNode node : catalog.required("schemas")) {
            List<Integer> versions = new ArrayList<>();
            node.required("versions").forEach(version -> versions.add(version.asInt()));
            SchemaEntry entry = new SchemaEntry(
                    node.required("name").asText(),
                    SchemaKind.fromJsonName(node.required("kind").asText()),
                    optionalText(node, "source"),
                    optionalText(node, "detailType"),
                    versions);
            if (entries.put(entry.name(), entry) != null) {
                throw new IllegalStateException(CATALOG_RESOURCE + " lists '" + entry.name() + "' twice");
            }
        }
        // Unmodifiable view over a LinkedHashMap, not Map.copyOf: catalog order is kept.
        return new SchemaCatalog(Collections.unmodifiableMap(entries));
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
