package io.hybridci.aws.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyTest {

    @Test
    void shouldBuildNothing_untilFirstGet_andIfBuiltSeesNothingBefore() {
        AtomicInteger built = new AtomicInteger();
        Lazy<Object> lazy = new Lazy<>(() -> {
            built.incrementAndGet();
            return new Object();
        });
        List<Object> seen = new ArrayList<>();
        lazy.ifBuilt(seen::add);

        assertEquals(0, built.get());
        assertEquals(List.of(), seen);
        Object value = lazy.get();
        lazy.ifBuilt(seen::add);
        assertEquals(List.of(value), seen);
    }

    @Test
    void shouldBuildOnce_whenManyThreadsGetAtOnce() throws Exception {
        AtomicInteger built = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        Lazy<Object> lazy = new Lazy<>(() -> {
            built.incrementAndGet();
            return new Object();
        });
        try (var threads = Executors.newFixedThreadPool(8)) {
            List<Future<Object>> values = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                values.add(threads.submit(() -> {
                    start.await();
                    return lazy.get();
                }));
            }
            start.countDown();
            Object first = values.getFirst().get();
            for (Future<Object> value : values) {
                assertSame(first, value.get());
            }
        }
        assertEquals(1, built.get());
    }
}
