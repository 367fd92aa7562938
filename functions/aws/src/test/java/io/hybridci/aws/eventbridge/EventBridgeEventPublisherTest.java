package io.hybridci.aws.eventbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.port.EventPublisher.BusEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

class EventBridgeEventPublisherTest {

    /** Accepts every entry except those whose detail is {@code "fail"}. */
    static final class FakeBus implements EventBridgeClient {
        final List<PutEventsRequest> calls = new ArrayList<>();

        @Override
        public PutEventsResponse putEvents(PutEventsRequest request) {
            calls.add(request);
            var results = request.entries().stream().map(entry -> entry.detail().equals("fail")
                    ? PutEventsResultEntry.builder().errorCode("InternalFailure").errorMessage("try again").build()
                    : PutEventsResultEntry.builder().eventId("id").build()).toList();
            int failed = (int) results.stream().filter(result -> result.errorCode() != null).count();
            return PutEventsResponse.builder().entries(results).failedEntryCount(failed).build();
        }

        @Override
        public String serviceName() {
            return "events";
        }

        @Override
        public void close() {
        }
    }

    private static BusEvent event(String detail) {
        return new BusEvent("hybridci.jobs", "Job State Changed", detail);
    }

    @Test
    void shouldSendBatchesOfTen_whenPublishingTwentyFiveEvents() {
        var bus = new FakeBus();

        new EventBridgeEventPublisher(bus, "hybridci").publish(IntStream.range(0, 25).mapToObj(i -> event("{}")).toList());

        assertEquals(List.of(10, 10, 5), bus.calls.stream().map(call -> call.entries().size()).toList());
        assertEquals("hybridci", bus.calls.getFirst().entries().getFirst().eventBusName());
    }

    @Test
    void shouldThrowNamingEachFailedEntry_whenSomeEntriesFail() {
        var bus = new FakeBus();
        var publisher = new EventBridgeEventPublisher(bus, "hybridci");

        var error = assertThrows(EventBridgeEventPublisher.EventPublishException.class,
                () -> publisher.publish(List.of(event("{}"), event("fail"), event("{}"))));

        assertEquals(1, error.failures().size());
        assertTrue(error.getMessage().contains("InternalFailure try again"), error.getMessage());
        assertTrue(error.getMessage().contains("Job State Changed"), error.getMessage());
    }
}
