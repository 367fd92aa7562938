package io.hybridci.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/** Every schema file is itself a valid 2020-12 schema (a typo in a keyword's value is caught here). */
class MetaSchemaTest {

    private static final Schema META_SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    @Test
    void shouldConformToTheMetaSchema_forEveryVersionOfEverySchema() {
        for (SchemaEntry entry : SchemaCatalog.load().entries()) {
            for (int version : entry.versions()) {
                String resource = entry.schemaResource(version);
                List<Error> errors = META_SCHEMA.validate(ClasspathResources.readText(resource), InputFormat.JSON);
                assertEquals(List.of(), errors.stream().map(Error::toString).toList(), resource);
            }
        }
    }

    @Test
    void shouldRejectASchema_whenAKeywordHasTheWrongType() {
        List<Error> errors = META_SCHEMA.validate("{\"type\":\"object\",\"required\":\"name\"}", InputFormat.JSON);

        assertFalse(errors.isEmpty());
    }
}
