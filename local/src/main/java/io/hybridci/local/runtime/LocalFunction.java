package io.hybridci.local.runtime;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * A handler object deployed in the local cloud with its function settings: every event source
 * (gateway, mapping, schedule) invokes it through {@link #invoke}, which builds a fresh
 * {@link LocalContext}, counts the invocation in {@link InvocationStats}, and turns a run past the
 * configured timeout into a failure as Lambda does ("Task timed out"), even though the local run
 * cannot be cut short.
 *
 * @param <I> the event type the handler takes
 * @param <O> what it returns
 */
public final class LocalFunction<I, O> {

    private static final Logger LOG = LoggerFactory.getLogger(LocalFunction.class);

    /** Function configuration, as in the function's topology entry. */
    public record Settings(String name, int memoryMb, Duration timeout, String region, String accountId) {
        public Settings {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(accountId, "accountId");
            if (memoryMb <= 0) throw new IllegalArgumentException("memoryMb must be positive: " + memoryMb);
            if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }

        /** Settings with the local cloud's default region and account id. */
        public static Settings of(String name, int memoryMb, Duration timeout) {
            return new Settings(name, memoryMb, timeout, "us-east-1", "000000000000");
        }
    }

    /** Thrown when a handler returned after its timeout: Lambda would have killed it and reported an error. */
    public static final class FunctionTimedOutException extends RuntimeException {
        public FunctionTimedOutException(String functionName, Duration timeout) {
            super("Task timed out after " + timeout.toMillis() / 1000.0 + " seconds (" + functionName + ")");
        }
    }

    private final Settings settings;
    private final RequestHandler<I, O> handler;
    private final InvocationStats stats;
    private final LongSupplier nanoTicker;

    public LocalFunction(Settings settings, RequestHandler<I, O> handler, InvocationStats stats) {
        this(settings, handler, stats, System::nanoTime);
    }

    LocalFunction(Settings settings, RequestHandler<I, O> handler, InvocationStats stats, LongSupplier nanoTicker) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.nanoTicker = Objects.requireNonNull(nanoTicker, "nanoTicker");
    }

    public String name() {
        return settings.name();
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Invokes the handler synchronously on the calling thread.
     *
     * @throws RuntimeException whatever the handler threw, or {@link FunctionTimedOutException}
     */
    public O invoke(I event) {
        LocalContext context = new LocalContext(UUID.randomUUID().toString(), settings, nanoTicker);
        long started = nanoTicker.getAsLong();
        try {
            O result = handler.handleRequest(event, context);
            long elapsed = nanoTicker.getAsLong() - started;
            if (elapsed > settings.timeout().toNanos()) {
                stats.record(settings.name(), elapsed, false);
                throw new FunctionTimedOutException(settings.name(), settings.timeout());
            }
            stats.record(settings.name(), elapsed, true);
            return result;
        } catch (FunctionTimedOutException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            stats.record(settings.name(), nanoTicker.getAsLong() - started, false);
            LOG.warn("{} {} failed: {}", settings.name(), context.getAwsRequestId(), e.toString());
            throw e;
        }
    }
}
