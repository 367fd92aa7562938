package io.hybridci.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads the schema and rule files that this module packages under {@code schemas/} and
 * {@code rules/} on the classpath. A missing or broken file is a packaging bug, so it fails
 * loudly with the resource name instead of returning something empty.
 */
final class ClasspathResources {

    /** One mapper for the whole module: Jackson mappers are thread-safe once built. */
    static final JsonMapper JSON = JsonMapper.builder().build();

    private ClasspathResources() {
    }

    static String readText(String resourceName) {
        try (InputStream in = open(resourceName)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read classpath resource " + resourceName, e);
        }
    }

    static JsonNode readJson(String resourceName) {
        String text = readText(resourceName);
        try {
            return JSON.readTree(text);
        } catch (JacksonException e) {
            throw new IllegalStateException(
                    "Classpath resource " + resourceName + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    static boolean exists(String resourceName) {
        return loader().getResource(resourceName) != null;
    }

    private static InputStream open(String resourceName) {
        InputStream in = loader().getResourceAsStream(resourceName);
        if (in == null) {
            throw new IllegalStateException("Classpath resource " + resourceName
                    + " is missing: is the events-schema jar on the classpath?");
        }
        return in;
    }

    private static ClassLoader loader() {
        // The module's own loader, not the thread context loader: Lambda and the local cloud
        // may run handlers under different context loaders, but this jar always sees itself.
        return ClasspathResources.class.getClassLoader();
    }
}
