package io.hybridci.aws.eventbridge;

import io.hybridci.core.port.EventPublisher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * {@link EventPublisher} on EventBridge. PutEvents takes at most 10 entries and answers 200 even
 * when some entries fail ({@code FailedEntryCount}), so each batch's result entries are checked and
 * a failure throws naming every failed entry's error code and message: the caller's batch is then
 * reported failed and retried, and re-publishing is safe because consumers dedupe on event ids.
 * See https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 */
public final class EventBridgeEventPublisher implements EventPublisher {
    /** PutEvents' limit on entries per call. */
    public static final int MAX_ENTRIES_PER_CALL = 10;

    private final EventBridgeClient events;
    private final String busName;

    public EventBridgeEventPublisher(EventBridgeClient events, String busName) {
        this.events = Objects.requireNonNull(events, "events");
        this.busName = Objects.requireNonNull(busName, "busName");
    }

    @Override
    public void publish(List<BusEvent> batch) {
        List<String> failures = new ArrayList<>();
        for (int from = 0; from < batch.size(); from += MAX_ENTRIES_PER_CALL) {
            List<BusEvent> chunk = batch.subList(from, Math.min(batch.size(), from + MAX_ENTRIES_PER_CALL));
            var response = events.putEvents(PutEventsRequest.builder().entries(chunk.stream()
                    .map(event -> PutEventsRequestEntry.builder().eventBusName(busName).source(event.source())
                            .detailType(event.detailType()).detail(event.detailJson()).build())
                    .toList()).build());
            Integer failed = response.failedEntryCount();
            if (failed != null && failed > 0) {
                List<PutEventsResultEntry> results = response.entries();
                for (int i = 0; i < results.size(); i++) {
                    PutEventsResultEntry result = results.get(i);
                    if (result.errorCode() != null) {
                        BusEvent event = chunk.get(i);
                        // Source and detail-type only: the detail may carry data that has no place in a log.
                        failures.add(event.source() + "/" + event.detailType() + ": " + result.errorCode() + " "
                                + result.errorMessage());
                    }
                }
                if (failures.isEmpty()) {
                    failures.add(failed + " entries failed without an error code");
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new EventPublishException(failures);
        }
    }

    /** Some entries were not put on the bus; {@link #failures()} names each. */
    public static final class EventPublishException extends RuntimeException {
        private final List<String> failures;

        public EventPublishException(List<String> failures) {
            super("PutEvents rejected " + failures.size() + " entries: " + String.join("; ", failures));
            this.failures = List.copyOf(failures);
        }

        public List<String> failures() {
            return failures;
        }
    }
}
