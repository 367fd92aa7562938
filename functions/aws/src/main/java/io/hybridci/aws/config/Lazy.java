package io.hybridci.aws.config;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A value built once, on first use, thread-safely: how {@link AwsClients} defers an SDK client (most of a cold start)
 * until a path that needs it runs.
 */
final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> factory;
    private volatile T value;

    Lazy(Supplier<T> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    @Override
    public T get() {
        T built = value;
        if (built == null) {
            synchronized (this) {
                built = value;
                if (built == null) {
                    built = factory.get();
                    value = built;
                }
            }
        }
        return built;
    }

    /** Runs {@code action} on the value if it has been built; builds nothing. */
    void ifBuilt(Consumer<T> action) {
        T built = value;
        if (built != null) {
            action.accept(built);
        }
    }
}
