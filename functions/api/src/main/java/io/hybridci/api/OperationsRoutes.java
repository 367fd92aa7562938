package io.hybridci.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.audit.AuditRecord;
import io.hybridci.core.userapi.AuditListing;
import io.hybridci.core.userapi.AuditQuery;
import io.hybridci.core.userapi.AuditTrail;
import io.hybridci.core.userapi.MetricsReport;
import io.hybridci.core.userapi.OperationsMetrics;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The routes of the dashboard's operations pages (issue 7): {@code GET /api/v1/metrics} (queues
 * now, queue wait and duration percentiles and results over a window) and {@code GET /api/v1/audit}
 * (the audit trail, filtered and paged). Admin token, like every user route.
 */
final class OperationsRoutes {

    private static final Pattern ENTITY = Pattern.compile("[a-z-]{1,40}:[^\\s]{1,200}");
    private static final Pattern ACTOR = Pattern.compile("[a-z-]{1,40}:[^\\s]{1,200}");

    private final OperationsMetrics metrics;
    private final AuditTrail auditTrail;
    private final AdminAuthenticator admin;

    OperationsRoutes(OperationsMetrics metrics, AuditTrail auditTrail, AdminAuthenticator admin) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.auditTrail = Objects.requireNonNull(auditTrail, "auditTrail");
        this.admin = Objects.requireNonNull(admin, "admin");
    }

    List<Router.Route> routes() {
        return List.of(
                new Router.Route("GET", "/api/v1/metrics", adminOnly((request, path) -> metrics(request))),
                new Router.Route("GET", "/api/v1/audit", adminOnly((request, path) -> audit(request))));
    }

    private Router.Handler adminOnly(Router.Handler handler) {
        return (request, path) -> admin.guard(request, path, handler);
    }

    private HttpResponse metrics(HttpRequest request) {
        long maxHours = OperationsMetrics.MAX_WINDOW.toHours();
        long hours = longParameter(request, "hours", OperationsMetrics.DEFAULT_WINDOW.toHours(), 1, maxHours);
        MetricsReport report = metrics.compute(Duration.ofHours(hours));
        ObjectNode json = Json.object();
        Json.putInstant(json, "generatedAt", report.generatedAt());
        Json.putInstant(json, "since", report.since());
        json.put("bucketSeconds", report.bucketLength().toSeconds());
        json.put("truncated", report.truncated());
        ArrayNode queues = json.putArray("queues");
        for (MetricsReport.QueueFigures queue : report.queues()) {
            ObjectNode item = queues.addObject();
            item.put("queue", queue.queue());
            item.put("waiting", queue.waiting());
            item.put("running", queue.running());
            putMillis(item, "oldestWaitMillis", queue.oldestWait().map(Duration::toMillis));
            item.put("connectedAgents", queue.connectedAgents());
            item.put("busyAgents", queue.busyAgents());
            item.put("unavailableAgents", queue.unavailableAgents());
        }
        json.set("totals", bucket(report.totals()));
        ArrayNode series = json.putArray("series");
        report.series().forEach(bucket -> series.add(bucket(bucket)));
        return HttpResponse.json(200, json);
    }

    private static ObjectNode bucket(MetricsReport.Bucket bucket) {
        ObjectNode json = Json.object();
        Json.putInstant(json, "start", bucket.start());
        putMillis(json, "queueWaitP50Millis", bucket.queueWaitP50Millis());
        putMillis(json, "queueWaitP95Millis", bucket.queueWaitP95Millis());
        putMillis(json, "durationP50Millis", bucket.durationP50Millis());
        putMillis(json, "durationP95Millis", bucket.durationP95Millis());
        json.put("passed", bucket.passed());
        json.put("failed", bucket.failed());
        json.put("other", bucket.other());
        return json;
    }

    private HttpResponse audit(HttpRequest request) {
        AuditQuery query = new AuditQuery(
                pattern(request, "entity", ENTITY, "<type>:<id>, e.g. build:abc"),
                pattern(request, "actor", ACTOR, "<kind>:<id>, e.g. user:admin"),
                instant(request, "from"),
                instant(request, "to"),
                (int) longParameter(request, "limit", AuditTrail.DEFAULT_PAGE_SIZE, 1, AuditTrail.MAX_PAGE_SIZE),
                nonEmpty(request, "cursor"));
        return switch (auditTrail.list(query)) {
            case AuditListing.BadCursor bad -> HttpResponse.error(400, "bad_request", "parameter \"cursor\": " + bad.message());
            case AuditListing.Listed listed -> {
                ObjectNode json = Json.object();
                ArrayNode records = json.putArray("records");
                listed.records().forEach(record -> records.add(auditRecord(record)));
                json.put("next", listed.next().orElse(null));
                yield HttpResponse.json(200, json);
            }
        };
    }

    /** An audit record as stored (before/after are already redacted by the audit-writer). */
    private static ObjectNode auditRecord(AuditRecord record) {
        ObjectNode json = Json.object();
        json.put("chain", record.chain());
        json.put("seq", record.seq());
        Json.putInstant(json, "at", record.at());
        json.put("actor", record.actor());
        json.put("entity", record.entity());
        json.put("action", record.action());
        json.set("before", record.before().deepCopy());
        json.set("after", record.after().deepCopy());
        json.put("prevHash", record.prevHash());
        json.put("hash", record.hash());
        return json;
    }

    private static void putMillis(ObjectNode json, String field, Optional<Long> millis) {
        if (millis.isPresent()) {
            json.put(field, millis.get());
        } else {
            json.putNull(field);
        }
    }

    private static Optional<String> nonEmpty(HttpRequest request, String name) {
        return request.queryParameter(name).filter(value -> !value.isEmpty());
    }

    private static Optional<String> pattern(HttpRequest request, String name, Pattern pattern, String expected) {
        Optional<String> value = nonEmpty(request, name);
        if (value.isPresent() && !pattern.matcher(value.get()).matches()) {
            throw ApiProblem.badRequest("parameter \"" + name + "\" must be " + expected);
        }
        return value;
    }

    private static Optional<Instant> instant(HttpRequest request, String name) {
        Optional<String> value = nonEmpty(request, name);
        try {
            return value.map(Instant::parse);
        } catch (DateTimeParseException malformed) {
            throw ApiProblem.badRequest("parameter \"" + name + "\" must be an ISO-8601 instant, e.g. 2025-03-01T12:00:00Z");
        }
    }

    private static long longParameter(HttpRequest request, String name, long defaultValue, long min, long max) {
        Optional<String> raw = nonEmpty(request, name);
        if (raw.isEmpty()) {
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
        throw ApiProblem.badRequest("parameter \"" + name + "\" must be an integer from " + min + " to " + max);
    }
}
