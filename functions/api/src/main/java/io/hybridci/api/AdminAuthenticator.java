package io.hybridci.api;

import io.hybridci.core.port.SecretSource;
import io.hybridci.core.security.Tokens;
import io.hybridci.core.statemachine.Actors;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who calls a user route, and whether their role allows the call. Two ways in:
 * <ul>
 *   <li>In AWS, API Gateway's JWT authorizer has already verified the OpenID Connect token (issuer,
 *   audience, signature, expiry) and hands us its claims: the caller is {@code user:<sub>} (else
 *   {@code user:<email>}), the role the highest of the {@code cognito:groups} {@code admin},
 *   {@code operator}, {@code viewer}. The claims cannot be forged by a client: only the authorizer
 *   fills {@code requestContext.authorizer}.</li>
 *   <li>Everywhere else (the local cloud, the CLI), the admin bearer token: role admin, actor
 *   {@code user:admin}, since the token names no person.</li>
 * </ul>
 * The admin token comparison is constant-time and visits every accepted hash, so timing tells
 * nothing about how close a guess came or which of several tokens (current, pending) matched.
 */
final class AdminAuthenticator {

    /** What a caller may do; each role includes the ones before it. */
    enum Role {
        /** reads: every GET. */
        VIEWER,
        /** also operates builds and agents: cancel, retry, approve, reject, pause, resume, drain. */
        OPERATOR,
        /** also everything else: manual builds, agent removal, registration tokens, secret rotation. */
        ADMIN;

        String group() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The actor of the admin token. */
    static final String ADMIN_ACTOR = Actors.user("admin");
    /** The claim API Gateway passes for Cognito groups: {@code [admin operator]} (a JSON array flattened). */
    static final String GROUPS_CLAIM = "cognito:groups";

    /** The calls an operator may make beyond reading; anything else that is not a GET needs an admin. */
    private static final List<Pattern> OPERATOR_CALLS = List.of(
            Pattern.compile("/api/v1/jobs/[^/]+/(cancel|retry|approve|reject)"),
            Pattern.compile("/api/v1/agents/[^/]+/(pause|resume|drain)"),
            Pattern.compile("/api/v1/environments/[^/]+/rollback"));

    /**
     * Reads only an admin may make: a dead letter may be any message at all (a forged agent update, a job's log
     * chunk), so viewers and operators do not see them even redacted.
     */
    private static final List<Pattern> ADMIN_READS = List.of(Pattern.compile("/api/v1/dead-letters"));

    private final SecretSource secrets;

    AdminAuthenticator(SecretSource secrets) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    /**
     * Runs the handler when the caller is known and their role allows the call: 401 when nobody is
     * signed in, 403 (naming the role needed) when the role is too low.
     */
    HttpResponse guard(HttpRequest request, List<String> path, Router.Handler handler) {
        Optional<Role> role = role(request);
        if (role.isEmpty()) {
            return request.claims().isEmpty()
                    ? HttpResponse.error(401, "unauthorized", "missing or wrong admin token (Authorization: Bearer <token>)")
                    : HttpResponse.error(403, "forbidden", actor(request) + " is in none of the groups viewer, "
                            + "operator, admin: ask an admin to add you to one");
        }
        Role needed = requiredRole(request);
        if (role.get().compareTo(needed) < 0) {
            return HttpResponse.error(403, "forbidden", actor(request) + " has role " + role.get().group() + "; "
                    + request.method() + " " + request.path() + " needs role " + needed.group() + " or above");
        }
        return handler.handle(request, path);
    }

    /** The actor the audit trail records for this (already guarded) request. */
    String actor(HttpRequest request) {
        Map<String, String> claims = request.claims();
        if (claims.isEmpty()) {
            return ADMIN_ACTOR;
        }
        // sub is stable and unique per user pool; email only when an OIDC provider gives no sub.
        String id = nonBlank(claims.get("sub")).or(() -> nonBlank(claims.get("email"))).orElse("unknown");
        return Actors.user(id);
    }

    /** The caller's role ({@code admin}, {@code operator}, {@code viewer}) for checks beyond the route's, e.g. an environment's allowed roles. */
    String roleName(HttpRequest request) {
        return role(request).map(Role::group).orElse("none");
    }

    /** The role needed for this call: GET reads (admin for the admin reads), the operator calls, and admin for the rest. */
    static Role requiredRole(HttpRequest request) {
        if (request.method().equals("GET")) {
            return ADMIN_READS.stream().anyMatch(read -> read.matcher(request.path()).matches()) ? Role.ADMIN : Role.VIEWER;
        }
        boolean operatorCall = request.method().equals("POST")
                && OPERATOR_CALLS.stream().anyMatch(call -> call.matcher(request.path()).matches());
        return operatorCall ? Role.OPERATOR : Role.ADMIN;
    }

    private Optional<Role> role(HttpRequest request) {
        if (!request.claims().isEmpty()) {
            return roleFromGroups(request.claims().get(GROUPS_CLAIM));
        }
        return isAdmin(request.bearerToken()) ? Optional.of(Role.ADMIN) : Optional.empty();
    }

    /** The highest role among the groups; API Gateway writes the array as {@code [a b]}, some IdPs as {@code a,b}. */
    static Optional<Role> roleFromGroups(String groups) {
        if (groups == null) {
            return Optional.empty();
        }
        List<String> names = Arrays.stream(groups.replace("[", " ").replace("]", " ").replace("\"", " ")
                .split("[\\s,]+")).filter(name -> !name.isEmpty()).toList();
        Role best = null;
        for (Role candidate : Role.values()) {
            if (names.contains(candidate.group())) {
                best = candidate;
            }
        }
        return Optional.ofNullable(best);
    }

    boolean isAdmin(Optional<String> bearerToken) {
        if (bearerToken.isEmpty()) {
            return false;
        }
        byte[] presented = Tokens.sha256Hex(bearerToken.get()).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String accepted : secrets.adminTokenHashes()) {
            match |= MessageDigest.isEqual(presented, accepted.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        }
        return match;
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
