package io.hybridci.core.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Loads the raw GitHub webhook payloads under {@code src/test/resources/events/github/}. */
public final class GithubPayloads {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GithubPayloads() {
    }

    /** The payload {@code events/github/<name>.json} as a mutable tree. */
    public static ObjectNode load(String name) {
        String path = "/events/github/" + name + ".json";
        try (InputStream in = GithubPayloads.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A normalized event out of a payload that must normalize. */
    public static GithubEvent normalized(String eventName, String delivery, JsonNode payload) {
        return switch (GithubNormalizer.normalize(eventName, delivery, payload)) {
            case Normalization.Normalized normalized -> normalized.event();
            case Normalization.MissingFields missing -> throw new AssertionError(missing.message());
        };
    }
}
