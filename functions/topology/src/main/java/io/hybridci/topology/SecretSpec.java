package io.hybridci.topology;

import java.util.Objects;

/**
 * A Secrets Manager secret. Only its name and purpose are described; the value is generated in
 * AWS (or by the local Secrets Manager endpoint) and never appears in code, templates or logs.
 *
 * @param name                Secrets Manager name, e.g. {@code hybridci/github-webhook}
 * @param description         what the secret protects, shown in the console
 * @param environmentVariable the variable that carries the secret's id to the functions that read it
 */
public record SecretSpec(String name, String description, String environmentVariable) {

    public SecretSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(environmentVariable, "environmentVariable");
    }
}
