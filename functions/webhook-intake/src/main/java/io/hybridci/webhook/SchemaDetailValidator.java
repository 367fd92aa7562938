package io.hybridci.webhook;

import io.hybridci.core.intake.DetailValidator;
import io.hybridci.schema.SchemaValidator;
import java.util.List;

/** {@link DetailValidator} backed by events-schema: the published detail is checked against its latest schema. */
public final class SchemaDetailValidator implements DetailValidator {

    private final SchemaValidator schemas;

    public SchemaDetailValidator(SchemaValidator schemas) {
        this.schemas = schemas;
    }

    /** The process-wide validator: schemas are compiled once per container, not per request. */
    public static SchemaDetailValidator shared() {
        return new SchemaDetailValidator(SchemaValidator.shared());
    }

    @Override
    public List<String> problems(String schemaName, String detailJson) {
        return schemas.validate(schemaName, detailJson).errors();
    }
}
