package io.hybridci.local.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LocalFunctionTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final InvocationStats stats = new InvocationStats();
    private final LocalFunction.Settings settings = LocalFunction.Settings.of("api", 256, Duration.ofSeconds(3));

    @Test
    void shouldGiveContextWithFunctionSettings_whenInvoked() {
        AtomicReference<Context> seen = new AtomicReference<>();
        AtomicReference<Integer> remainingAfterOneSecond = new AtomicReference<>();
        var function = new LocalFunction<String, String>(settings, (input, context) -> {
            seen.set(context);
            nanos.addAndGet(1_000_000_000L);
            remainingAfterOneSecond.set(context.getRemainingTimeInMillis());
            context.getLogger().log("hello " + input);
            return input.toUpperCase();
        }, stats, nanos::get);

        assertEquals("HI", function.invoke("hi"));
        Context context = seen.get();
        assertEquals("api", context.getFunctionName());
        assertEquals(256, context.getMemoryLimitInMB());
        assertEquals("/aws/lambda/api", context.getLogGroupName());
        assertEquals("arn:aws:lambda:us-east-1:000000000000:function:api", context.getInvokedFunctionArn());
        assertEquals(36, context.getAwsRequestId().length());
        assertEquals(2000, remainingAfterOneSecond.get());
        assertEquals(1, stats.of("api").invocations());
        assertEquals(1_000_000_000L, stats.of("api").maxNanos());
    }

    @Test
    void shouldFailAsTimedOut_whenHandlerRunsPastTimeout() {
        var function = new LocalFunction<String, String>(settings, (input, context) -> {
            nanos.addAndGet(Duration.ofSeconds(4).toNanos());
            return "late";
        }, stats, nanos::get);
        var e = assertThrows(LocalFunction.FunctionTimedOutException.class, () -> function.invoke("x"));
        assertEquals("Task timed out after 3.0 seconds (api)", e.getMessage());
        assertEquals(1, stats.of("api").errors());
    }

    @Test
    void shouldCountErrorAndRethrow_whenHandlerThrows() {
        var function = new LocalFunction<String, String>(settings, (input, context) -> {
            throw new IllegalArgumentException("bad input");
        }, stats, nanos::get);
        assertThrows(IllegalArgumentException.class, () -> function.invoke("x"));
        assertEquals(new InvocationStats.FunctionStats(1, 1, 0, 0), stats.of("api"));
    }
}
