package io.hybridci.aws.dynamodb;

import io.hybridci.core.port.contract.RegistrationTokenCatalogContract;
import java.lang.reflect.Proxy;
import java.time.Clock;
import org.junit.jupiter.api.extension.ExtendWith;

/** The catalog on the {@code state} items that {@link DynamoDbCredentialStore} writes, in dynalite. */
@ExtendWith(LocalDynalite.class)
class DynamoDbRegistrationTokenCatalogIT extends RegistrationTokenCatalogContract {
    @Override
    protected Ports newPorts() {
        var tables = LocalDynalite.freshTables();
        // No key protector of either kind (AES locally, KMS in AWS): a registration token carries no signing key.
        var store = new DynamoDbCredentialStore(LocalDynalite.client(), tables.state(), noSigningKeys(), "system:api",
                Clock.systemUTC());
        return new Ports(store, new DynamoDbRegistrationTokenCatalog(LocalDynalite.client(), tables.state(), "system:api",
                Clock.systemUTC()));
    }

    /** Registration tokens carry no signing key, so the store must never protect or read one here. */
    private static KeyProtector noSigningKeys() {
        return (KeyProtector) Proxy.newProxyInstance(KeyProtector.class.getClassLoader(), new Class<?>[] {KeyProtector.class},
                (self, method, args) -> switch (method.getName()) {
                    case "toString" -> "NoSigningKeys";
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    default -> throw new UnsupportedOperationException("a registration token has no signing key");
                });
    }
}
