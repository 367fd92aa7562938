package io.hybridci.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks that a later version of a schema still accepts every example of the versions before
 * it. Consumers upgrade after producers are allowed to, so an event written by an old
 * producer (or replayed from an archive) must stay valid under the newest schema.
 */
final class BackwardCompatibilityChecker {

    private BackwardCompatibilityChecker() {
    }

    /**
     * @param laterSchemaJson the candidate schema of version {@code laterVersion}
     * @return one line per earlier example the candidate rejects, naming the example and the errors
     */
    static List<String> incompatibilities(String schemaName, int laterVersion, String laterSchemaJson) {
        CompiledSchema later = CompiledSchema.compile(schemaName + " v" + laterVersion, laterSchemaJson);
        List<String> problems = new ArrayList<>();
        for (Example example : Example.of(schemaName)) {
            if (example.version() >= laterVersion) {
                continue;
            }
            ValidationResult result = later.check(example.json());
            if (!result.valid()) {
                problems.add(example.id() + " rejected by v" + laterVersion + ": " + result.errors());
            }
        }
        return problems;
    }

    /** How many earlier examples the check covers, so a test can prove it is not vacuous. */
    static long earlierExampleCount(String schemaName, int laterVersion) {
        return Example.of(schemaName).stream().filter(example -> example.version() < laterVersion).count();
    }
}
