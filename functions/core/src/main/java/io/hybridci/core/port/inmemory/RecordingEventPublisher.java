package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.EventPublisher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@link EventPublisher} that keeps what was published; {@link #failNext} simulates a rejected PutEvents. */
public final class RecordingEventPublisher implements EventPublisher {
    private final List<BusEvent> published = new CopyOnWriteArrayList<>();
    private volatile int failuresLeft;

    @Override
    public void publish(List<BusEvent> events) {
        if (failuresLeft > 0) {
            failuresLeft--;
            throw new IllegalStateException("PutEvents rejected " + events.size() + " entries (simulated)");
        }
        published.addAll(events);
    }

    public void failNext(int times) {
        failuresLeft = times;
    }

    public List<BusEvent> published() {
        return List.copyOf(published);
    }
}
