package io.hybridci.local.runtime;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Route selection of an API Gateway HTTP API: route keys {@code METHOD /path} where a segment may be a
 * parameter {@code {name}} and the last segment may be greedy {@code {name+}}; the method may be {@code ANY}.
 * The most specific match wins, as in API Gateway
 * (<a href="https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html">routing API requests</a>):
 * a full literal match before parameters, parameters before a greedy variable, an exact method before {@code ANY}.
 *
 * @param <T> what a route leads to
 */
public final class HttpRouteTable<T> {

    /** A route that matched, with its path parameters (URL-decoded, greedy values keep their slashes). */
    public record Match<T>(String routeKey, T target, Map<String, String> pathParameters) {}

    private sealed interface Segment {
        record Literal(String text) implements Segment {}
        record Parameter(String name) implements Segment {}
        record Greedy(String name) implements Segment {}
    }

    private record Route<T>(String method, String path, List<Segment> segments, T target) {
        String routeKey() {
            return method + " " + path;
        }

        long literals() {
            return segments.stream().filter(s -> s instanceof Segment.Literal).count();
        }

        boolean greedy() {
            return !segments.isEmpty() && segments.getLast() instanceof Segment.Greedy;
        }
    }

    private final List<Route<T>> routes = new ArrayList<>();

    /**
     * Adds {@code method path → target}.
     *
     * @throws IllegalArgumentException for a malformed path or a route key added twice
     */
    public HttpRouteTable<T> add(String method, String path, T target) {
        Objects.requireNonNull(target, "target");
        String upperMethod = method.toUpperCase(java.util.Locale.ROOT);
        if (!path.startsWith("/")) throw new IllegalArgumentException("a route path starts with /: " + path);
        List<Segment> segments = new ArrayList<>();
        String[] parts = path.substring(1).split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty() && parts.length == 1) break; // the root path "/"
            if (part.startsWith("{") && part.endsWith("+}")) {
                if (i != parts.length - 1) throw new IllegalArgumentException("a greedy variable must be the last segment: " + path);
                segments.add(new Segment.Greedy(part.substring(1, part.length() - 2)));
            } else if (part.startsWith("{") && part.endsWith("}")) {
                segments.add(new Segment.Parameter(part.substring(1, part.length() - 1)));
            } else {
                segments.add(new Segment.Literal(part));
            }
        }
        Route<T> route = new Route<>(upperMethod, path, List.copyOf(segments), target);
        if (routes.stream().anyMatch(r -> r.routeKey().equals(route.routeKey()))) {
            throw new IllegalArgumentException("duplicate route " + route.routeKey());
        }
        routes.add(route);
        return this;
    }

    /** The most specific route for {@code method} and the raw (still encoded) request path. */
    public Optional<Match<T>> match(String method, String rawPath) {
        String[] parts = rawPath.equals("/") ? new String[0] : rawPath.substring(1).split("/", -1);
        Comparator<Route<T>> mostSpecificFirst = Comparator
                .comparing((Route<T> r) -> r.greedy())
                .thenComparing(r -> -r.literals())
                .thenComparing(r -> r.method().equals("ANY"));
        return routes.stream()
                .filter(r -> r.method().equals("ANY") || r.method().equalsIgnoreCase(method))
                .sorted(mostSpecificFirst)
                .map(r -> bind(r, parts))
                .flatMap(Optional::stream)
                .findFirst();
    }

    private Optional<Match<T>> bind(Route<T> route, String[] parts) {
        Map<String, String> parameters = new LinkedHashMap<>();
        List<Segment> segments = route.segments();
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            if (segment instanceof Segment.Greedy(String name)) {
                if (i >= parts.length) return Optional.empty(); // greedy matches one or more segments
                String rest = String.join("/", java.util.Arrays.copyOfRange(parts, i, parts.length));
                if (rest.isEmpty()) return Optional.empty();
                parameters.put(name, decode(rest));
                return Optional.of(new Match<>(route.routeKey(), route.target(), parameters));
            }
            if (i >= parts.length) return Optional.empty();
            switch (segment) {
                case Segment.Literal(String text) -> {
                    if (!text.equals(decode(parts[i]))) return Optional.empty();
                }
                case Segment.Parameter(String name) -> {
                    if (parts[i].isEmpty()) return Optional.empty();
                    parameters.put(name, decode(parts[i]));
                }
                case Segment.Greedy ignored -> throw new AssertionError("handled above");
            }
        }
        if (parts.length != segments.size()) return Optional.empty();
        return Optional.of(new Match<>(route.routeKey(), route.target(), parameters));
    }

    private static String decode(String pathPart) {
        // Path segments: '+' is a literal plus, not a space.
        return URLDecoder.decode(pathPart.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
