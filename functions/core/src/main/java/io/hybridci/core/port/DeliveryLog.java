package io.hybridci.core.port;

import java.time.Instant;

/** Remembers GitHub deliveries (X-GitHub-Delivery) so a re-sent webhook starts nothing twice. */
public interface DeliveryLog {

    /**
     * Records the delivery with a conditional put; true the first time, false for a repeat.
     * The record expires at {@code forgetAt} (7 days: GitHub does not redeliver older ones).
     */
    boolean firstDelivery(String deliveryId, Instant at, Instant forgetAt);

    /** Forgets a delivery whose event could not be published, so GitHub's retry is not dropped. */
    void forget(String deliveryId);
}
