package io.hybridci.infra;

import java.util.Objects;
import java.util.Optional;

/**
 * What differs between deployments of the same topology (CDK context values, see docs/deploy.md).
 *
 * @param production whether this is the production stack: tables get deletion protection
 * @param alarmEmail where alarm notifications go, if anywhere
 * @param jars       where the functions' jars are (and, under the same root, the dashboard's files)
 * @param signInDomainPrefix the Cognito hosted UI's domain prefix, if not the default {@code hybridci-<account>}
 */
public record HybridCiSettings(boolean production, Optional<String> alarmEmail, FunctionJars jars,
                               Optional<String> signInDomainPrefix) {

    public HybridCiSettings {
        Objects.requireNonNull(alarmEmail, "alarmEmail");
        Objects.requireNonNull(jars, "jars");
        Objects.requireNonNull(signInDomainPrefix, "signInDomainPrefix");
    }
}
