package io.hybridci.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.port.LogStore.LogChunk;
import io.hybridci.core.auditing.AuditVerification;
import io.hybridci.core.userapi.AuditVerifyRun;
import io.hybridci.core.userapi.BuildListing;
import io.hybridci.core.userapi.BuildWithJobs;
import io.hybridci.core.userapi.JobCommandResult;
import io.hybridci.core.userapi.JobLog;
import io.hybridci.core.userapi.ManualBuildRequest;
import io.hybridci.core.userapi.UserApi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** The user routes, {@code /api/v1/…}: the caller checked by {@link AdminAuthenticator}, then JSON around {@link UserApi}. */
final class UserRoutes {

    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}");
    // No whitespace and no leading '-': agents pass these to git, where "-…" would be read as an option.
    private static final Pattern CLONE_URL = Pattern.compile("[^\\s-][^\\s]{0,2047}");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,64}");
    private static final Pattern BRANCH = Pattern.compile("[^\\s-][^\\s]{0,254}");
    private static final Pattern MESSAGE = Pattern.compile(".{0,1000}", Pattern.DOTALL);
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final UserApi userApi;
    private final AdminAuthenticator admin;

    UserRoutes(UserApi userApi, AdminAuthenticator admin) {
        this.userApi = Objects.requireNonNull(userApi, "userApi");
        this.admin = Objects.requireNonNull(admin, "admin");
    }

    List<Router.Route> routes() {
        return List.of(
                new Router.Route("GET", "/api/v1/builds", adminOnly((request, path) -> listBuilds(request))),
                new Router.Route("POST", "/api/v1/builds", adminOnly((request, path) -> manualBuild(request))),
                new Router.Route("GET", "/api/v1/builds/{id}", adminOnly((request, path) -> build(path.getFirst()))),
                new Router.Route("GET", "/api/v1/jobs/{id}", adminOnly((request, path) -> job(path.getFirst()))),
                new Router.Route("GET", "/api/v1/jobs/{id}/log", adminOnly((request, path) -> log(request, path.getFirst()))),
                new Router.Route("POST", "/api/v1/jobs/{id}/cancel", adminOnly((request, path) -> cancel(request, path.getFirst()))),
                new Router.Route("POST", "/api/v1/jobs/{id}/retry", adminOnly((request, path) -> retry(request, path.getFirst()))),
                new Router.Route("GET", "/api/v1/audit/verify", adminOnly((request, path) -> verifyAudit(request))));
    }

    private Router.Handler adminOnly(Router.Handler handler) {
        return (request, path) -> admin.guard(request, path, handler);
    }

    private HttpResponse listBuilds(HttpRequest request) {
        int limit = intParameter(request, "limit", UserApi.DEFAULT_PAGE_SIZE, 1, UserApi.MAX_PAGE_SIZE);
        Optional<String> cursor = request.queryParameter("cursor").filter(value -> !value.isEmpty());
        return switch (userApi.listBuilds(limit, cursor)) {
            case BuildListing.BadCursor bad -> HttpResponse.error(400, "bad_request", "parameter \"cursor\": " + bad.message());
            case BuildListing.Listed listed -> {
                ObjectNode json = Json.object();
                ArrayNode builds = json.putArray("builds");
                listed.builds().forEach(build -> builds.add(Views.build(build)));
                json.put("next", listed.next().orElse(null));
                yield HttpResponse.json(200, json);
            }
        };
    }

    private HttpResponse build(String buildId) {
        return userApi.build(buildId)
                .map(found -> HttpResponse.json(200, buildWithJobs(found)))
                .orElseGet(() -> HttpResponse.error(404, "not_found", "no build " + buildId));
    }

    private HttpResponse job(String jobId) {
        return userApi.job(jobId)
                .map(job -> HttpResponse.json(200, Views.job(job)))
                .orElseGet(() -> jobNotFound(jobId));
    }

    private HttpResponse log(HttpRequest request, String jobId) {
        long after = longParameter(request, "after", -1, -1, Long.MAX_VALUE);
        int limit = intParameter(request, "limit", UserApi.MAX_LOG_CHUNKS, 1, UserApi.MAX_LOG_CHUNKS);
        Optional<JobLog> log = userApi.log(jobId, after, limit);
        if (log.isEmpty()) {
            return jobNotFound(jobId);
        }
        ObjectNode json = Json.object();
        json.put("jobId", jobId);
        json.put("state", log.get().job().state().name());
        ArrayNode chunks = json.putArray("chunks");
        for (LogChunk chunk : log.get().chunks()) {
            ObjectNode item = chunks.addObject();
            item.put("seq", chunk.seq());
            item.put("offset", chunk.offset());
            Json.putInstant(item, "at", chunk.at());
            item.put("chunk", chunk.chunk());
        }
        json.put("next", log.get().after());
        json.put("complete", log.get().complete());
        return HttpResponse.json(200, json);
    }

    private HttpResponse manualBuild(HttpRequest request) {
        ObjectNode body = Json.parseObject(request.body(), false);
        ManualBuildRequest command = new ManualBuildRequest(
                Json.requiredString(body, "repo", REPO, "owner/name"),
                Json.requiredString(body, "cloneUrl", CLONE_URL, "a URL without spaces, not starting with '-'"),
                Json.requiredString(body, "commit", COMMIT, "a lower-case hex commit SHA (7 to 64 characters)"),
                Json.requiredString(body, "branch", BRANCH, "a branch name without spaces, not starting with '-'"),
                Json.optionalString(body, "message", MESSAGE, "at most 1000 characters").orElse(null));
        String triggerId = request.header("idempotency-key")
                .map(key -> {
                    if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
                        throw ApiProblem.badRequest("header \"Idempotency-Key\" must be 1 to 128 of A-Z a-z 0-9 . _ : -");
                    }
                    return "key:" + key;
                })
                // A client's retry carries a new request id: only an Idempotency-Key makes a retry create one build.
                .orElseGet(() -> "request:" + (request.requestId().isEmpty() ? UUID.randomUUID() : request.requestId()));
        return HttpResponse.json(201, buildWithJobs(userApi.manualBuild(command, triggerId, admin.actor(request))));
    }

    private HttpResponse cancel(HttpRequest request, String jobId) {
        return jobCommand(jobId, userApi.cancel(jobId, admin.actor(request)), 200);
    }

    private HttpResponse retry(HttpRequest request, String jobId) {
        return jobCommand(jobId, userApi.retry(jobId, admin.actor(request)), 201);
    }

    private HttpResponse verifyAudit(HttpRequest request) {
        Optional<String> cursor = request.queryParameter("cursor").filter(value -> !value.isEmpty());
        return switch (userApi.verifyAudit(cursor)) {
            case AuditVerifyRun.BadCursor bad -> HttpResponse.error(400, "bad_request", "parameter \"cursor\": " + bad.message());
            case AuditVerifyRun.Checked checked -> verification(checked.verification());
        };
    }

    private static HttpResponse verification(AuditVerification report) {
        ObjectNode json = Json.object();
        json.put("ok", report.ok());
        json.put("chains", report.chains());
        json.put("records", report.records());
        if (report.firstBreak().isPresent()) {
            ObjectNode firstBreak = json.putObject("firstBreak");
            firstBreak.put("chain", report.firstBreak().get().chain());
            firstBreak.put("seq", report.firstBreak().get().seq());
            firstBreak.put("problem", report.firstBreak().get().problem().name());
            firstBreak.put("detail", report.firstBreak().get().detail());
        } else {
            json.putNull("firstBreak");
        }
        // The counts are this run's: a caller goes on with ?cursor=next until complete and sums them.
        json.put("complete", report.complete());
        if (report.complete()) {
            json.putNull("next");
        } else {
            json.put("next", report.next().orElseThrow());
        }
        return HttpResponse.json(200, json);
    }

    private static HttpResponse jobCommand(String jobId, JobCommandResult result, int successStatus) {
        return switch (result) {
            case JobCommandResult.Done done -> {
                ObjectNode json = Json.object();
                json.set("job", Views.job(done.job()));
                yield HttpResponse.json(successStatus, json);
            }
            case JobCommandResult.NotFound _ -> jobNotFound(jobId);
            case JobCommandResult.Conflict conflict -> HttpResponse.error(409, "conflict", conflict.message());
        };
    }

    private static ObjectNode buildWithJobs(BuildWithJobs found) {
        ObjectNode json = Views.build(found.build());
        ArrayNode jobs = json.putArray("jobs");
        found.jobs().forEach(job -> jobs.add(Views.job(job)));
        return json;
    }

    private static HttpResponse jobNotFound(String jobId) {
        return HttpResponse.error(404, "not_found", "no job " + jobId);
    }

    private static int intParameter(HttpRequest request, String name, int defaultValue, int min, int max) {
        return (int) longParameter(request, name, defaultValue, min, max);
    }

    private static long longParameter(HttpRequest request, String name, long defaultValue, long min, long max) {
        Optional<String> raw = request.queryParameter(name);
        if (raw.isEmpty() || raw.get().isEmpty()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(raw.get());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // Falls through to the same message as an out-of-range number.
        }
        throw ApiProblem.badRequest("parameter \"" + name + "\" must be an integer from " + min
                + (max == Long.MAX_VALUE ? " up" : " to " + max));
    }
}
