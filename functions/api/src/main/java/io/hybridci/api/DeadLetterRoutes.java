package io.hybridci.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.deadletter.DeadLetters;
import io.hybridci.core.deadletter.DeadLetters.Listing;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /api/v1/dead-letters[?queue=<name>][&limit=1..10, 1..100 with queue]} (issue 8): every dead-letter and
 * failure queue of the topology, what it keeps, its approximate size and up to {@code limit} of its messages, peeked
 * (they stay in the queue; a peek counts as a receive). Admin only, in AWS too (a dead letter may be any message at all).
 * 503 where the function was not given the queues.
 */
final class DeadLetterRoutes {

    private final Optional<DeadLetters> deadLetters;
    private final AdminAuthenticator admin;

    DeadLetterRoutes(Optional<DeadLetters> deadLetters, AdminAuthenticator admin) {
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.admin = Objects.requireNonNull(admin, "admin");
    }

    List<Router.Route> routes() {
        return List.of(new Router.Route("GET", "/api/v1/dead-letters",
                (request, path) -> admin.guard(request, path, (guarded, _) -> list(guarded))));
    }

    private HttpResponse list(HttpRequest request) {
        if (deadLetters.isEmpty()) {
            return HttpResponse.error(503, "unavailable", "this api function is not given the dead-letter queues ("
                    + io.hybridci.topology.EnvironmentNames.DEAD_LETTER_QUEUES + ")");
        }
        Optional<String> queue = request.queryParameter("queue").filter(value -> !value.isEmpty());
        int limit = limit(request, queue.isPresent());
        return switch (deadLetters.get().list(queue, limit)) {
            case Listing.UnknownQueue unknown -> HttpResponse.error(400, "bad_request", "parameter \"queue\": no dead-letter "
                    + "queue '" + truncate(unknown.name()) + "'; known: " + String.join(", ", unknown.known()));
            case Listing.Listed listed -> HttpResponse.json(200, view(listed));
        };
    }

    private static ObjectNode view(Listing.Listed listed) {
        ObjectNode json = Json.object();
        ArrayNode queues = json.putArray("queues");
        for (DeadLetters.QueueView queue : listed.queues()) {
            ObjectNode item = queues.addObject();
            item.put("queue", queue.queue().name());
            item.put("kind", queue.queue().kind());
            item.put("deadLetterOf", queue.queue().deadLetterOf());
            item.put("approximateMessages", queue.approximateMessages());
            ArrayNode messages = item.putArray("messages");
            for (DeadLetters.MessageView message : queue.messages()) {
                ObjectNode entry = messages.addObject();
                entry.put("messageId", message.messageId());
                Json.putInstant(entry, "sentAt", message.sentAt());
                entry.put("receiveCount", message.receiveCount());
                ObjectNode attributes = entry.putObject("attributes");
                message.attributes().forEach(attributes::put);
                entry.put("body", message.body());
                entry.put("bodyBytes", message.bodyBytes());
                entry.put("bodyTruncated", message.bodyTruncated());
            }
        }
        return json;
    }

    private static int limit(HttpRequest request, boolean oneQueue) {
        Optional<String> raw = request.queryParameter("limit").filter(value -> !value.isEmpty());
        if (raw.isEmpty()) {
            return DeadLetters.DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value >= 1 && value <= DeadLetters.maxLimit(oneQueue)) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // Same message as an out-of-range number.
        }
        throw ApiProblem.badRequest("parameter \"limit\" must be an integer from 1 to " + DeadLetters.maxLimit(oneQueue)
                + (oneQueue ? "" : " (to " + DeadLetters.MAX_QUEUE_LIMIT + " with \"queue\")"));
    }

    /** An echoed name is bounded: the message stays readable whatever was sent. */
    private static String truncate(String name) {
        return name.length() <= 100 ? name : name.substring(0, 100) + "…";
    }
}
