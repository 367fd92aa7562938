package io.hybridci.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ExamplesTest {

    private final SchemaValidator validator = SchemaValidator.shared();

    static List<Example> examples() {
        return Example.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldValidate_whenCheckedAgainstItsOwnVersion(Example example) {
        ValidationResult result = validator.validate(example.schemaName(), example.version(), example.json());
        assertEquals(List.of(), result.errors(), example.id());
        assertTrue(result.valid());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldValidate_whenCheckedAgainstTheLatestVersion(Example example) {
        ValidationResult result = validator.validate(example.schemaName(), example.json());
        assertEquals(List.of(), result.errors(), example.id() + " against the latest version");
    }

    @Test
    void shouldHaveAMainExample_forEveryVersionOfEverySchema() {
        for (SchemaEntry entry : SchemaCatalog.load().entries()) {
            for (int version : entry.versions()) {
                String label = entry.name() + " v" + version;
                assertTrue(Example.of(entry.name()).stream()
                        .anyMatch(example -> example.version() == version && example.label().isEmpty()),
                        label + " has no v" + version + ".example.json");
            }
        }
    }

    @Test
    void shouldShipTheExamplesInTheJar_soDownstreamTestsCanLoadThem() {
        String resource = SchemaCatalog.load().entry(SchemaNames.GITHUB_PUSH).exampleResource(1);
        assertTrue(validator.validate(SchemaNames.GITHUB_PUSH, ClasspathResources.readText(resource)).valid());
    }
}
