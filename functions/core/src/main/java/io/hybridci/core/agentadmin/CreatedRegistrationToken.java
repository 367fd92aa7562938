package io.hybridci.core.agentadmin;

import io.hybridci.core.port.RegistrationToken;
import io.hybridci.core.security.Secret;

import java.util.Objects;

/** A token just created: the stored record (hash only) and the value, which exists in clear only in this answer. */
public record CreatedRegistrationToken(RegistrationToken stored, Secret value) {
    public CreatedRegistrationToken {
        Objects.requireNonNull(stored, "stored");
        Objects.requireNonNull(value, "value");
    }
}
