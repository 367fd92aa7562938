package io.hybridci.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BackwardCompatibilityTest {

    /** A schema name with one of its versions above 1, e.g. {@code job-state-changed v2}. */
    record LaterVersion(String schemaName, int version) {
        @Override
        public String toString() {
            return schemaName + " v" + version;
        }
    }

    static List<LaterVersion> laterVersions() {
        List<LaterVersion> later = new ArrayList<>();
        for (SchemaEntry entry : SchemaCatalog.load().entries()) {
            entry.versions().stream().filter(version -> version > 1)
                    .forEach(version -> later.add(new LaterVersion(entry.name(), version)));
        }
        return later;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("laterVersions")
    void shouldAcceptEveryEarlierExample_whenASchemaHasALaterVersion(LaterVersion later) {
        SchemaEntry entry = SchemaCatalog.load().entry(later.schemaName());
        String schemaJson = ClasspathResources.readText(entry.schemaResource(later.version()));

        assertTrue(BackwardCompatibilityChecker.earlierExampleCount(later.schemaName(), later.version()) > 0,
                later + " has no earlier example to check");
        assertEquals(List.of(), BackwardCompatibilityChecker.incompatibilities(later.schemaName(), later.version(), schemaJson));
    }

    @Test
    void shouldHaveAtLeastOneVersionedSchema_soTheCheckAboveIsNotVacuous() {
        assertTrue(laterVersions().contains(new LaterVersion(SchemaNames.JOB_STATE_CHANGED, 2)));
    }

    @Test
    void shouldReportEveryEarlierExample_whenALaterVersionMakesANewFieldRequired() throws IOException {
        String incompatible = Files.readString(
                Path.of("src/test/resources/incompatible/job-state-changed/v2-requires-reason.schema.json"));

        List<String> problems = BackwardCompatibilityChecker.incompatibilities(SchemaNames.JOB_STATE_CHANGED, 2, incompatible);

        assertEquals(BackwardCompatibilityChecker.earlierExampleCount(SchemaNames.JOB_STATE_CHANGED, 2), problems.size(),
                problems.toString());
        assertFalse(problems.isEmpty());
        assertTrue(problems.stream().allMatch(problem -> problem.startsWith("job-state-changed/v1")
                && problem.contains("reason")), problems.toString());
    }
}
