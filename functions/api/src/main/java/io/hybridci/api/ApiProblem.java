package io.hybridci.api;

import java.util.Objects;

/**
 * A request the API refuses before reaching a use case (a malformed body, a bad parameter).
 * Thrown only inside this module's request parsing, where it spares every field reader from
 * threading an error value back; {@link Router} turns it into {@code {"error","message"}}.
 */
final class ApiProblem extends RuntimeException {

    private final int status;
    private final String code;

    ApiProblem(int status, String code, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
    }

    static ApiProblem badRequest(String message) {
        return new ApiProblem(400, "bad_request", message);
    }

    HttpResponse toResponse() {
        return HttpResponse.error(status, code, getMessage());
    }
}
