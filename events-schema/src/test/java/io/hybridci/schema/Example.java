package io.hybridci.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An example payload kept beside its schema: {@code schemas/<name>/v<N>.example.json} or
 * {@code v<N>.example-<label>.json}. Tests read them from the source folder (surefire runs in
 * the module directory) so that a file someone forgot to list anywhere is still checked.
 */
record Example(String schemaName, int version, String label, Path file) {

    static final Path SCHEMAS_DIR = Path.of("schemas");
    static final Pattern FILE_NAME = Pattern.compile("v([1-9][0-9]*)\\.example(?:-([a-z0-9-]+))?\\.json");

    /** Short id used in tables and test names, e.g. {@code github-push/v1/deleted-branch}. */
    String id() {
        return schemaName + "/v" + version + (label.isEmpty() ? "" : "/" + label);
    }

    String json() {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return id();
    }

    static List<Example> all() {
        List<Example> examples = new ArrayList<>();
        try (Stream<Path> folders = Files.list(SCHEMAS_DIR)) {
            for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(folder)) {
                    for (Path file : files.sorted().toList()) {
                        Matcher matcher = FILE_NAME.matcher(file.getFileName().toString());
                        if (matcher.matches()) {
                            examples.add(new Example(folder.getFileName().toString(),
                                    Integer.parseInt(matcher.group(1)),
                                    matcher.group(2) == null ? "" : matcher.group(2), file));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        examples.sort(Comparator.comparing(Example::id));
        return List.copyOf(examples);
    }

    static List<Example> of(String schemaName) {
        return all().stream().filter(example -> example.schemaName().equals(schemaName)).toList();
    }
}
