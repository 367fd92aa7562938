package io.hybridci.api;

import io.hybridci.core.reaction.ContendedWriteException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Matches a request to its route: 404 when no route has the path, 405 (with {@code Allow}) when
 * one has the path but not the method. It is also the one place that turns a refused request
 * ({@link ApiProblem}) or an unexpected failure into a JSON error, so no stack trace ever reaches
 * a client.
 */
final class Router {

    /** A route's work, given the request and the path's {@code {id}} segments in order. */
    @FunctionalInterface
    interface Handler {
        HttpResponse handle(HttpRequest request, List<String> pathParameters);
    }

    /** @param pathTemplate e.g. {@code /api/v1/jobs/{id}/log}; each {@code {name}} matches one path segment */
    record Route(String method, String pathTemplate, Handler handler) {
        Route {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(pathTemplate, "pathTemplate");
            Objects.requireNonNull(handler, "handler");
        }

        Pattern pattern() {
            return Pattern.compile(pathTemplate.replaceAll("\\{[^/]+}", "([^/]+)"));
        }
    }

    /** API Gateway's payload limit is 10 MB; ours is far below: no agent or user call needs more. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(Router.class.getName());

    private record CompiledRoute(Route route, Pattern pattern) {}

    private final List<CompiledRoute> routes;

    Router(List<Route> routes) {
        this.routes = routes.stream().map(route -> new CompiledRoute(route, route.pattern())).toList();
    }

    HttpResponse route(HttpRequest request) {
        try {
            if (request.body().length() > MAX_BODY_BYTES) {
                return HttpResponse.error(413, "payload_too_large",
                        "the request body exceeds " + MAX_BODY_BYTES + " bytes");
            }
            TreeSet<String> allowed = new TreeSet<>();
            for (CompiledRoute compiled : routes) {
                Matcher matcher = compiled.pattern().matcher(request.path());
                if (!matcher.matches()) {
                    continue;
                }
                if (!compiled.route().method().equals(request.method())) {
                    allowed.add(compiled.route().method());
                    continue;
                }
                List<String> parameters = new ArrayList<>();
                for (int group = 1; group <= matcher.groupCount(); group++) {
                    parameters.add(matcher.group(group));
                }
                return compiled.route().handler().handle(request, parameters);
            }
            if (!allowed.isEmpty()) {
                return HttpResponse.error(405, "method_not_allowed",
                        request.method() + " is not allowed on " + request.path() + "; use " + String.join(", ", allowed))
                        .withHeader("allow", String.join(", ", allowed));
            }
            return HttpResponse.error(404, "not_found", "no route " + request.method() + " " + request.path());
        } catch (ApiProblem refused) {
            return refused.toResponse();
        } catch (ContendedWriteException contended) {
            // Other writers kept changing the item (requests of one caller sent in parallel): nothing was
            // written, and the same request is likely to pass in a moment.
            return HttpResponse.error(409, "contended", contended.getMessage());
        } catch (RuntimeException unexpected) {
            // The request's toString omits headers, so no token reaches the log.
            LOG.log(System.Logger.Level.ERROR, "unhandled failure on " + request, unexpected);
            return HttpResponse.error(500, "internal_error",
                    "the request failed unexpectedly; request id " + request.requestId());
        }
    }
}
