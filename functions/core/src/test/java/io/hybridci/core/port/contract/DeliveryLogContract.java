package io.hybridci.core.port.contract;

import static io.hybridci.core.port.contract.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.port.DeliveryLog;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link DeliveryLog} must do. */
public abstract class DeliveryLogContract {

    protected abstract DeliveryLog newLog();

    private DeliveryLog deliveries;

    @BeforeEach
    void setUpLog() {
        deliveries = newLog();
    }

    @Test
    void shouldAcceptOnce_whenSameDeliveryArrivesTwice() {
        String id = Fixtures.uniqueId("delivery");

        assertTrue(deliveries.firstDelivery(id, T0, T0.plus(Duration.ofDays(7))));
        assertFalse(deliveries.firstDelivery(id, T0.plusSeconds(1), T0.plus(Duration.ofDays(7))));
        assertTrue(deliveries.firstDelivery(Fixtures.uniqueId("delivery"), T0, T0.plus(Duration.ofDays(7))));
    }

    @Test
    void shouldAcceptAgain_whenDeliveryWasForgotten() {
        String id = Fixtures.uniqueId("delivery");
        deliveries.firstDelivery(id, T0, T0.plus(Duration.ofDays(7)));

        deliveries.forget(id);
        deliveries.forget(Fixtures.uniqueId("never-seen"));

        assertTrue(deliveries.firstDelivery(id, T0.plusSeconds(5), T0.plus(Duration.ofDays(7))));
    }
}
