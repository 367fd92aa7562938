package io.hybridci.schema;

import java.util.List;
import java.util.Objects;

/**
 * One schema of {@code schemas/catalog.json}: a payload type and the versions of its schema.
 *
 * @param name       folder name under {@code schemas/}, e.g. {@code job-state-changed}
 * @param kind       where payloads of this type travel
 * @param source     EventBridge {@code source} for bus events ({@link SchemaKind#GITHUB},
 *                   {@link SchemaKind#EVENT}); {@code null} for messages and the envelope
 * @param detailType EventBridge {@code detail-type} for bus events; {@code null} otherwise
 * @param versions   every version, ascending, starting at 1 without gaps
 */
public record SchemaEntry(String name, SchemaKind kind, String source, String detailType, List<Integer> versions) {

    public SchemaEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        versions = List.copyOf(versions);
        boolean busEvent = kind == SchemaKind.GITHUB || kind == SchemaKind.EVENT;
        if (busEvent != (source != null && detailType != null)) {
            throw new IllegalArgumentException("Schema '" + name + "' of kind " + kind.jsonName()
                    + (busEvent ? " needs" : " must not have") + " a source and a detailType");
        }
        for (int i = 0; i < versions.size(); i++) {
            // Versions are append-only: a gap would mean a schema was deleted, which breaks
            // consumers still validating that version.
            if (versions.get(i) != i + 1) {
                throw new IllegalArgumentException("Schema '" + name + "' versions must be 1..n without gaps: " + versions);
            }
        }
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("Schema '" + name + "' has no version");
        }
    }

    /** The newest version, the one producers write. */
    public int latest() {
        return versions.getLast();
    }

    /** True for payloads published on the EventBridge bus as the {@code detail} of an event. */
    public boolean isBusEvent() {
        return source != null;
    }

    /** Classpath resource name of one version's schema, e.g. {@code schemas/secret-rotated/v1.schema.json}. */
    public String schemaResource(int version) {
        if (!versions.contains(version)) {
            throw new IllegalArgumentException("Schema '" + name + "' has no version " + version + "; versions: " + versions);
        }
        return SchemaCatalog.SCHEMAS_FOLDER + name + "/v" + version + ".schema.json";
    }

    /** Classpath resource name of a version's main example, e.g. {@code schemas/secret-rotated/v1.example.json}. */
    public String exampleResource(int version) {
        schemaResource(version);
        return SchemaCatalog.SCHEMAS_FOLDER + name + "/v" + version + ".example.json";
    }
}
