package io.hybridci.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.approval.ApprovalResult;
import io.hybridci.core.approval.BlockApprovals;
import io.hybridci.core.deployment.Deployments;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The routes of block steps (issue 9): {@code POST /api/v1/jobs/{id}/approve} with an optional body
 * {@code {"fields": {"key": "value", …}}}, and {@code POST /api/v1/jobs/{id}/reject}. Admin token,
 * like every user route; the actor is the signed-in person
 * ({@link AdminAuthenticator#actor}; {@code user:admin} with the admin token). Answers {@code {"job": …}} (200), 400 {@code invalid_fields} with
 * one line per problem, 404, or 409 when the job is not a block step awaiting a decision.
 */
final class ApprovalRoutes {

    /** Bounds what one approval may carry: a form, not a payload. */
    private static final int MAX_FIELDS = 50;
    private static final int MAX_VALUE_LENGTH = 4096;

    private final BlockApprovals approvals;
    private final Deployments deployments;
    private final AdminAuthenticator admin;

    ApprovalRoutes(BlockApprovals approvals, Deployments deployments, AdminAuthenticator admin) {
        this.approvals = Objects.requireNonNull(approvals, "approvals");
        this.deployments = Objects.requireNonNull(deployments, "deployments");
        this.admin = Objects.requireNonNull(admin, "admin");
    }

    List<Router.Route> routes() {
        return List.of(
                new Router.Route("POST", "/api/v1/jobs/{id}/approve",
                        adminOnly((request, path) -> approve(request, path.getFirst()))),
                new Router.Route("POST", "/api/v1/jobs/{id}/reject",
                        adminOnly((request, path) -> reject(request, path.getFirst()))));
    }

    private Router.Handler adminOnly(Router.Handler handler) {
        return (request, path) -> admin.guard(request, path, handler);
    }

    private HttpResponse approve(HttpRequest request, String jobId) {
        ObjectNode body = Json.parseObject(request.body(), true);
        Map<String, String> fields = fields(body);
        // A deploy job awaiting its environment's approval is approved here too (its environment's allowed roles).
        Optional<ApprovalResult> deploy = deployments.approve(jobId, admin.actor(request), admin.roleName(request));
        return answer(jobId, deploy.orElseGet(() -> approvals.approve(jobId, fields, admin.actor(request))));
    }

    private HttpResponse reject(HttpRequest request, String jobId) {
        Optional<ApprovalResult> deploy = deployments.reject(jobId, admin.actor(request), admin.roleName(request));
        return answer(jobId, deploy.orElseGet(() -> approvals.reject(jobId, admin.actor(request))));
    }

    private static Map<String, String> fields(ObjectNode body) {
        JsonNode fields = body.get("fields");
        if (fields == null || fields.isNull()) {
            return Map.of();
        }
        if (!fields.isObject()) {
            throw ApiProblem.badRequest("field \"fields\" must be an object of field key to string value");
        }
        if (fields.size() > MAX_FIELDS) {
            throw ApiProblem.badRequest("at most " + MAX_FIELDS + " fields");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : fields.properties()) {
            if (!entry.getValue().isTextual() || entry.getValue().textValue().length() > MAX_VALUE_LENGTH) {
                throw ApiProblem.badRequest("fields." + entry.getKey() + " must be a string of at most "
                        + MAX_VALUE_LENGTH + " characters");
            }
            values.put(entry.getKey(), entry.getValue().textValue());
        }
        return values;
    }

    private static HttpResponse answer(String jobId, ApprovalResult result) {
        return switch (result) {
            case ApprovalResult.Done done -> {
                ObjectNode json = Json.object();
                json.set("job", Views.job(done.job()));
                yield HttpResponse.json(200, json);
            }
            case ApprovalResult.NotFound _ -> HttpResponse.error(404, "not_found", "no job " + jobId);
            case ApprovalResult.Conflict conflict -> HttpResponse.error(409, "conflict", conflict.message());
            case ApprovalResult.Forbidden forbidden -> HttpResponse.error(403, "forbidden", forbidden.message());
            case ApprovalResult.InvalidFields invalid ->
                    HttpResponse.error(400, "invalid_fields", String.join("; ", invalid.problems()));
        };
    }
}
