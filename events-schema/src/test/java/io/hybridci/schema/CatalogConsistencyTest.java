package io.hybridci.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The index files, the folders, the constants and the schema headers all tell the same story. */
class CatalogConsistencyTest {

    private static final Pattern SCHEMA_FILE = Pattern.compile("v([1-9][0-9]*)\\.schema\\.json");
    private static final String DIALECT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
    private static final String ID_PREFIX = "https://hybridci.io/schemas/";

    private final SchemaCatalog catalog = SchemaCatalog.load();

    @Test
    void shouldListExactlyTheSchemaFolders_whenComparingCatalogAndFolders() throws IOException {
        Set<String> folders;
        try (Stream<Path> paths = Files.list(Example.SCHEMAS_DIR)) {
            folders = paths.filter(Files::isDirectory).map(path -> path.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> listed = catalog.entries().stream().map(SchemaEntry::name)
                .collect(Collectors.toCollection(TreeSet::new));

        assertEquals(folders, listed);
    }

    @Test
    void shouldListExactlyTheSchemaFilesOfEachFolder_asVersions() throws IOException {
        for (SchemaEntry entry : catalog.entries()) {
            List<Integer> versionsOnDisk = new ArrayList<>();
            try (Stream<Path> files = Files.list(Example.SCHEMAS_DIR.resolve(entry.name()))) {
                for (Path file : files.toList()) {
                    String fileName = file.getFileName().toString();
                    Matcher matcher = SCHEMA_FILE.matcher(fileName);
                    if (matcher.matches()) {
                        versionsOnDisk.add(Integer.parseInt(matcher.group(1)));
                    } else {
                        assertTrue(Example.FILE_NAME.matcher(fileName).matches(),
                                entry.name() + "/" + fileName + " is neither a schema nor an example");
                    }
                }
            }
            versionsOnDisk.sort(null);
            assertEquals(entry.versions(), versionsOnDisk, entry.name());
        }
    }

    @Test
    void shouldHaveASchemaForEveryExample_whenExamplesAreVersioned() {
        for (Example example : Example.all()) {
            assertTrue(catalog.entry(example.schemaName()).versions().contains(example.version()),
                    example.id() + " has no schema of its version");
        }
    }

    @Test
    void shouldListExactlyTheRuleFiles_whenComparingRuleIndexAndFolder() throws IOException {
        Set<String> onDisk;
        try (Stream<Path> paths = Files.list(Path.of("rules"))) {
            onDisk = paths.map(path -> path.getFileName().toString())
                    .filter(name -> !name.equals("index.json"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> indexed = RuleCatalog.load().stream().map(rule -> rule.name() + ".json")
                .collect(Collectors.toCollection(TreeSet::new));

        assertEquals(onDisk, indexed);
    }

    @Test
    void shouldDeclare2020_12AndAnIdMatchingItsPlace_inEverySchema() {
        for (SchemaEntry entry : catalog.entries()) {
            for (int version : entry.versions()) {
                JsonNode schema = ClasspathResources.readJson(entry.schemaResource(version));
                String where = entry.schemaResource(version);

                assertEquals(DIALECT_2020_12, schema.path("$schema").asText(), where);
                assertEquals(ID_PREFIX + entry.name() + "/v" + version + ".schema.json", schema.path("$id").asText(), where);
                assertTrue(schema.path("description").asText().length() > 20, where + " needs a description");
            }
        }
    }

    @Test
    void shouldHaveAnEventTypesConstant_forEverySourceAndDetailTypeOfTheCatalog() throws IllegalAccessException {
        Set<String> sources = constants(EventTypes.class, "SOURCE_");
        Set<String> detailTypes = constants(EventTypes.class, "DETAIL_TYPE_");
        Set<String> catalogSources = new TreeSet<>();
        Set<String> catalogDetailTypes = new TreeSet<>();
        catalog.entries().stream().filter(SchemaEntry::isBusEvent).forEach(entry -> {
            catalogSources.add(entry.source());
            catalogDetailTypes.add(entry.detailType());
        });

        assertEquals(catalogSources, sources);
        assertEquals(catalogDetailTypes, detailTypes);
    }

    @Test
    void shouldHaveASchemaNamesConstant_forEveryCatalogEntry() throws IllegalAccessException {
        Set<String> listed = catalog.entries().stream().map(SchemaEntry::name)
                .collect(Collectors.toCollection(TreeSet::new));

        assertEquals(listed, constants(SchemaNames.class, ""));
    }

    @Test
    void shouldFindTheSchemaOfABusEvent_bySourceAndDetailType() {
        SchemaEntry entry = catalog.forEvent(EventTypes.SOURCE_JOBS, EventTypes.DETAIL_TYPE_JOB_STATE_CHANGED).orElseThrow();

        assertEquals(SchemaNames.JOB_STATE_CHANGED, entry.name());
        assertEquals(2, entry.latest());
        assertTrue(catalog.forEvent(EventTypes.SOURCE_GITHUB, "issues").isEmpty());
    }

    private static Set<String> constants(Class<?> type, String prefix) throws IllegalAccessException {
        Set<String> values = new TreeSet<>();
        for (Field field : type.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class && field.getName().startsWith(prefix)) {
                values.add((String) field.get(null));
            }
        }
        return values;
    }
}
