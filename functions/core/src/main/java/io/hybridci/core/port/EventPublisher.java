package io.hybridci.core.port;

import java.util.List;

/**
 * Puts events on the bus. Fails loudly (an exception naming the failed entries) when any
 * entry is not accepted: a swallowed PutEvents failure is a lost build.
 */
public interface EventPublisher {

    /** One bus event: where it comes from, its detail-type, and the detail as JSON. */
    record BusEvent(String source, String detailType, String detailJson) {}

    void publish(List<BusEvent> events);
}
