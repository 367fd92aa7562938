package io.hybridci.schema;

import java.util.HashMap;
import java.util.Map;

/**
 * Validates payloads against the versioned schemas of {@link SchemaCatalog}, at the
 * boundaries of our functions and in tests.
 *
 * <p>{@link #shared()} compiles every schema once, up front: a Lambda container pays for it
 * during init (where SnapStart can capture it), never during an invocation. The instance is
 * immutable and safe to use from many threads.
 */
public final class SchemaValidator {

    private static final class Holder {
        static final SchemaValidator INSTANCE = new SchemaValidator(SchemaCatalog.load());
    }

    private final SchemaCatalog catalog;
    /** Key: {@code name + "/v" + version}. */
    private final Map<String, CompiledSchema> schemas;

    private SchemaValidator(SchemaCatalog catalog) {
        this.catalog = catalog;
        Map<String, CompiledSchema> compiled = new HashMap<>();
        for (SchemaEntry entry : catalog.entries()) {
            for (int version : entry.versions()) {
                String resource = entry.schemaResource(version);
                compiled.put(key(entry.name(), version),
                        CompiledSchema.compile(resource, ClasspathResources.readText(resource)));
            }
        }
        this.schemas = Map.copyOf(compiled);
    }

    /** The validator of every catalog schema, built on first use and then shared. */
    public static SchemaValidator shared() {
        return Holder.INSTANCE;
    }

    /** The catalog this validator was built from. */
    public SchemaCatalog catalog() {
        return catalog;
    }

    /**
     * Checks {@code json} against one version of a schema. Malformed JSON is reported as an
     * error of the result, not thrown. An unknown schema name or version is a programming
     * error and throws {@link IllegalArgumentException}.
     */
    public ValidationResult validate(String schemaName, int version, String json) {
        catalog.entry(schemaName).schemaResource(version);
        return schemas.get(key(schemaName, version)).check(json);
    }

    /** Checks {@code json} against the latest version of a schema: what producers write now. */
    public ValidationResult validate(String schemaName, String json) {
        return validate(schemaName, catalog.entry(schemaName).latest(), json);
    }

    /** Like {@link #validate(String, int, String)}, but throws when the payload is invalid. */
    public void requireValid(String schemaName, int version, String json) {
        ValidationResult result = validate(schemaName, version, json);
        if (!result.valid()) {
            throw new InvalidPayloadException(schemaName, version, result.errors());
        }
    }

    /** Like {@link #validate(String, String)}, but throws when the payload is invalid. */
    public void requireValid(String schemaName, String json) {
        requireValid(schemaName, catalog.entry(schemaName).latest(), json);
    }

    private static String key(String name, int version) {
        return name + "/v" + version;
    }
}
