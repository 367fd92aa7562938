package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.DeliveryLog;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/** {@link DeliveryLog} in memory, for unit tests of the use cases. */
public final class InMemoryDeliveryLog implements DeliveryLog {
    private final ConcurrentHashMap<String, Instant> deliveries = new ConcurrentHashMap<>();

    @Override
    public boolean firstDelivery(String deliveryId, Instant at, Instant forgetAt) {
        return deliveries.putIfAbsent(deliveryId, at) == null;
    }

    @Override
    public void forget(String deliveryId) {
        deliveries.remove(deliveryId);
    }
}
